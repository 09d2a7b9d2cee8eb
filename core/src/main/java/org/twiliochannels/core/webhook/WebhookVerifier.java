package org.twiliochannels.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.security.RequestValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * Verifies that a webhook request came from Twilio — its {@code X-Twilio-Signature}, checked with
 * the Twilio SDK's {@link RequestValidator} — and turns it into an {@link InboundMessage} or a
 * {@link StatusCallback}. Works the same from a Servlet filter, a Spring controller, a JAX-RS
 * resource or {@code com.sun.net.httpserver}.
 *
 * <p><b>Behind a proxy or load balancer</b> the URL the application sees (say
 * {@code http://10.0.0.7:8080/twilio/sms}) is not the one Twilio called and signed
 * ({@code https://example.com/twilio/sms}), and every signature fails. Give the public base URL
 * with {@link Builder#publicBaseUrl(URI)}: the path and query the application received are then
 * appended to it.
 */
public final class WebhookVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestValidator validator;
    private final URI publicBaseUrl;

    private WebhookVerifier(Builder b) {
        this.validator = new RequestValidator(b.authToken.revealSecret());
        this.publicBaseUrl = b.publicBaseUrl;
    }

    /** A verifier for webhooks signed with this account's auth token (API keys do not sign webhooks). */
    public static Builder builder(AuthToken authToken) {
        return new Builder(authToken);
    }

    /**
     * The URL Twilio signed for a request received on {@code receivedUrl}: unchanged, or the
     * public base URL followed by the received path and query.
     */
    public String signedUrl(String receivedUrl) {
        if (publicBaseUrl == null) {
            return receivedUrl;
        }
        URI received = URI.create(receivedUrl);
        String path = received.getRawPath() == null ? "" : received.getRawPath();
        String base = publicBaseUrl.toString();
        if (base.endsWith("/") && path.startsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + path + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery());
    }

    /**
     * Verifies the request and reads it.
     *
     * @throws WebhookRejectedException with the reason; answer 403 and ignore the request
     */
    public TwilioWebhook verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        String signature = request.signature().filter(s -> !s.isBlank()).orElseThrow(() -> new WebhookRejectedException(
                Reason.MISSING_SIGNATURE, "no X-Twilio-Signature header: the request did not come from Twilio, or a"
                        + " proxy dropped the header"));
        String url = signedUrl(request.url());
        Map<String, String> params;
        if (request.jsonBody().isPresent()) {
            verifyJson(url, request.jsonBody().get(), signature);
            params = flatten(request.jsonBody().get());
        } else {
            params = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : request.parameters().entrySet()) {
                if (e.getValue().size() > 1) {
                    throw new WebhookRejectedException(Reason.REPEATED_PARAMETER, "parameter " + e.getKey() + " appears "
                            + e.getValue().size() + " times; Twilio's messaging webhooks send each parameter once");
                }
                params.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
            }
            if (!validator.validate(url, params, signature)) {
                throw invalid(url, request.url());
            }
        }
        return read(params);
    }

    private void verifyJson(String url, String body, String signature) {
        if (!validator.validate(url, Map.of(), signature)) {
            throw invalid(url, url);
        }
        String hash = bodyHash(url).orElseThrow(() -> new WebhookRejectedException(Reason.BODY_MISMATCH,
                "a JSON webhook's URL must carry bodySHA256; " + url + " has none"));
        if (!validator.validateBody(body, hash)) {
            throw new WebhookRejectedException(Reason.BODY_MISMATCH, "the body does not match its bodySHA256: it was"
                    + " changed after Twilio signed it");
        }
    }

    private WebhookRejectedException invalid(String url, String received) {
        return new WebhookRejectedException(Reason.INVALID_SIGNATURE, "X-Twilio-Signature does not match " + url
                + (url.equals(received) ? "; behind a proxy or load balancer, set publicBaseUrl to the URL Twilio calls"
                        : " (received on " + received + ")") + ", and check that the auth token is this account's");
    }

    private static Optional<String> bodyHash(String url) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("bodySHA256=")) {
                return Optional.of(URLDecoder.decode(pair.substring("bodySHA256=".length()), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> flatten(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(body);
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode()
                    ? e.getValue().asText() : e.getValue().toString()));
        } catch (IOException e) {
            throw new WebhookRejectedException(Reason.NOT_A_MESSAGING_WEBHOOK, "the signed JSON body is not a JSON"
                    + " object: " + e.getMessage());
        }
        return out;
    }

    private static TwilioWebhook read(Map<String, String> p) {
        String sid = p.getOrDefault("MessageSid", p.get("SmsSid"));
        if (sid == null) {
            throw new WebhookRejectedException(Reason.NOT_A_MESSAGING_WEBHOOK, "signed, but has no MessageSid:"
                    + " not a messaging webhook");
        }
        String status = p.getOrDefault("MessageStatus", null);
        if (status != null) {
            OptionalInt code = OptionalInt.empty();
            String ec = p.get("ErrorCode");
            if (ec != null && !ec.isBlank()) {
                try {
                    code = OptionalInt.of(Integer.parseInt(ec.strip()));
                } catch (NumberFormatException ignored) {
                    code = OptionalInt.empty();
                }
            }
            return new StatusCallback(MessageSid.of(sid), MessageStatus.fromTwilio(status), code, p);
        }
        if (p.containsKey("Body") || p.containsKey("NumMedia")) {
            List<InboundMessage.Media> media = new ArrayList<>();
            int n = 0;
            try {
                n = Integer.parseInt(p.getOrDefault("NumMedia", "0").strip());
            } catch (NumberFormatException ignored) {
                n = 0;
            }
            for (int i = 0; i < n; i++) {
                String url = p.get("MediaUrl" + i);
                if (url != null) {
                    media.add(new InboundMessage.Media(URI.create(url), p.getOrDefault("MediaContentType" + i, "")));
                }
            }
            return new InboundMessage(sid, p.getOrDefault("From", ""), p.getOrDefault("To", ""),
                    p.getOrDefault("Body", ""), media, p);
        }
        throw new WebhookRejectedException(Reason.NOT_A_MESSAGING_WEBHOOK, "signed, but neither an inbound message"
                + " (Body, NumMedia) nor a status callback (MessageStatus)");
    }

    /** Builds a {@link WebhookVerifier}. */
    public static final class Builder {
        private final AuthToken authToken;
        private URI publicBaseUrl;

        private Builder(AuthToken authToken) {
            this.authToken = Objects.requireNonNull(authToken, "authToken");
        }

        /**
         * The scheme, host, port and path prefix Twilio calls, e.g. {@code https://example.com} or
         * {@code https://example.com/api} (default: the URL as received is the URL Twilio called).
         */
        public Builder publicBaseUrl(URI publicBaseUrl) {
            Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
            if (publicBaseUrl.getScheme() == null || publicBaseUrl.getHost() == null || publicBaseUrl.getRawQuery() != null) {
                throw new IllegalArgumentException("publicBaseUrl \"" + publicBaseUrl + "\" must be an absolute URL"
                        + " without a query, e.g. https://example.com or https://example.com/api");
            }
            this.publicBaseUrl = publicBaseUrl;
            return this;
        }

        /** The verifier. */
        public WebhookVerifier build() {
            return new WebhookVerifier(this);
        }
    }
}
