package org.twiliochannels.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * POSTs webhooks as Twilio does: a form body, signed with {@code X-Twilio-Signature}, Twilio's
 * user agent and an idempotency token; returns the status the endpoint answered.
 */
final class CallbackClient {
    private final WebhookSigner signer;
    private final AccountState account;

    CallbackClient(WebhookSigner signer, AccountState account) {
        this.signer = signer;
        this.account = account;
    }

    /**
     * POSTs {@code params} to {@code url}.
     *
     * @throws UncheckedIOException when the endpoint cannot be reached or read
     */
    int post(String url, Map<String, List<String>> params) {
        StringBuilder form = new StringBuilder();
        params.forEach((k, values) -> values.forEach(v -> form.append(form.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try {
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setConnectTimeout(5000);
                c.setReadTimeout(10000);
                c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
                c.setRequestProperty("X-Twilio-Signature", signer.sign(url, params));
                c.setRequestProperty("User-Agent", "TwilioProxy/1.1 (twilio-channels FakeTwilio)");
                c.setRequestProperty("I-Twilio-Idempotency-Token", account.hex(16));
                try (OutputStream out = c.getOutputStream()) {
                    out.write(form.toString().getBytes(StandardCharsets.UTF_8));
                }
                int code = c.getResponseCode();
                InputStream answer = code >= 400 ? c.getErrorStream() : c.getInputStream();
                if (answer != null) {
                    try (answer) {
                        answer.readAllBytes();
                    }
                }
                return code;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not POST to " + url, e);
        }
    }
}
