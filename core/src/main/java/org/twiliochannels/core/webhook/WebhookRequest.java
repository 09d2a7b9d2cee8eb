package org.twiliochannels.core.webhook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.FormEncoding;

/**
 * A webhook request as any web framework sees it: the URL it was received on (with its query), the
 * form parameters or raw JSON body, and the {@code X-Twilio-Signature} header.
 *
 * @param url        the full URL as received, e.g. {@code request.getRequestURL() + "?" + request.getQueryString()}
 * @param parameters the form parameters (every value of repeated names), empty for a JSON body
 * @param jsonBody   the raw body of a JSON webhook, if it is one
 * @param signature  the {@code X-Twilio-Signature} header, if present
 */
public record WebhookRequest(String url, Map<String, List<String>> parameters, Optional<String> jsonBody,
                             Optional<String> signature) {

    /** Validates and copies. */
    public WebhookRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(jsonBody, "jsonBody");
        Objects.requireNonNull(signature, "signature");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        parameters = Collections.unmodifiableMap(copy);
    }

    /** A form webhook from parsed parameters (as a Servlet's {@code getParameterMap()} gives them). */
    public static WebhookRequest ofForm(String url, Map<String, List<String>> parameters, String signature) {
        return new WebhookRequest(url, parameters, Optional.empty(), Optional.ofNullable(signature));
    }

    /** A form webhook from its raw {@code application/x-www-form-urlencoded} body. */
    public static WebhookRequest ofFormBody(String url, String body, String signature) {
        return ofForm(url, FormEncoding.parse(body), signature);
    }

    /** A JSON webhook: Twilio signs its URL, which carries the body's hash in {@code bodySHA256}. */
    public static WebhookRequest ofJson(String url, String body, String signature) {
        return new WebhookRequest(url, Map.of(), Optional.of(Objects.requireNonNull(body, "body")),
                Optional.ofNullable(signature));
    }

    /** Never shows parameter values, which may be personal data. */
    @Override
    public String toString() {
        return "WebhookRequest[url=" + url + ", parameters=" + parameters.keySet()
                + (jsonBody.isPresent() ? ", json" : "") + ", signed=" + signature.isPresent() + "]";
    }
}
