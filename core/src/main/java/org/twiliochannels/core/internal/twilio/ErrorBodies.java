package org.twiliochannels.core.internal.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.TwilioError;

/**
 * Reads Twilio's error JSON ({@code {"code":21211,"message":…,"more_info":…,"status":400}}) and
 * tolerates what else may come back: no code, no status, an empty body, HTML from a proxy. Not API.
 */
final class ErrorBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET = 200;

    private ErrorBodies() {}

    static TwilioError parse(int httpStatus, String contentType, String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(text);
                JsonNode code = node.get("code");
                JsonNode message = node.get("message");
                JsonNode moreInfo = node.get("more_info");
                OptionalInt c = code != null && code.canConvertToInt() && code.asInt() != 0
                        ? OptionalInt.of(code.asInt()) : OptionalInt.empty();
                String m = message != null && message.isTextual() && !message.asText().isBlank()
                        ? message.asText() : "no message in Twilio's answer";
                Optional<String> link = moreInfo != null && moreInfo.isTextual() && !moreInfo.asText().isBlank()
                        ? Optional.of(moreInfo.asText()) : Optional.empty();
                return new TwilioError(httpStatus, c, m, link);
            } catch (IOException e) {
                return new TwilioError(httpStatus, OptionalInt.empty(),
                        "the answer is not valid JSON: " + snippet(text), Optional.empty());
            }
        }
        String what = text.isEmpty()
                ? "an empty answer"
                : "a non-JSON answer" + (contentType == null ? "" : " (" + contentType + ")") + ": " + snippet(text);
        return new TwilioError(httpStatus, OptionalInt.empty(),
                what + "; a proxy or load balancer may stand between this application and Twilio", Optional.empty());
    }

    /** The start of a body as one line of plain text: tags and runs of white space removed. */
    static String snippet(String body) {
        String plain = body.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("<[^>]*>", " ")
                .replaceAll("\\s+", " ")
                .strip();
        return plain.length() <= SNIPPET ? plain : plain.substring(0, SNIPPET) + "…";
    }
}
