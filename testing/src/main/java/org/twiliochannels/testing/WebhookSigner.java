package org.twiliochannels.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests the way Twilio does ({@code X-Twilio-Signature}: Base64 of HMAC-SHA1,
 * keyed with the auth token, over the full URL followed by every parameter name and value, sorted
 * by name), so tests can send requests that a webhook handler must accept. This is the signing
 * side only, for tests; handlers verify with {@code org.twiliochannels.core.webhook.WebhookVerifier}.
 */
public final class WebhookSigner {
    private final String authToken;

    /** A signer for the account whose auth token is {@code authToken}. */
    public WebhookSigner(String authToken) {
        this.authToken = Objects.requireNonNull(authToken, "authToken");
    }

    /** The {@code X-Twilio-Signature} for a form POST of {@code params} to {@code url}. */
    public String sign(String url, Map<String, List<String>> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, values) -> values.forEach(v -> pairs.add(k + "\u0000" + v)));
        pairs.sort(null);
        StringBuilder data = new StringBuilder(url);
        for (String pair : pairs) {
            data.append(pair.replace("\u0000", ""));
        }
        return hmac(data.toString());
    }

    /** The signature of a JSON-body webhook: over the URL alone (which carries {@code bodySHA256}). */
    public String signUrl(String url) {
        return hmac(url);
    }

    private String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
