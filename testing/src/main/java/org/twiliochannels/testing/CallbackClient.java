package org.twiliochannels.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.WhatsAppAddress;

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

    /** POSTs the status callback of {@code m}, now in its new status, to {@code url}. */
    int statusCallback(String url, StoredMessage m, OptionalInt errorCode) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("AccountSid", List.of(account.accountSid.value()));
        params.put("ApiVersion", List.of("2010-04-01"));
        params.put("From", List.of(m.from().orElse("")));
        params.put("To", List.of(m.to()));
        params.put("MessageSid", List.of(m.sid().value()));
        params.put("SmsSid", List.of(m.sid().value()));
        params.put("MessageStatus", List.of(m.status().twilioName()));
        params.put("SmsStatus", List.of(m.status().twilioName()));
        errorCode.ifPresent(c -> params.put("ErrorCode", List.of(Integer.toString(c))));
        String channel = TwilioRules.channelOf(m.to());
        if (!channel.equals("sms")) {
            params.put("ChannelPrefix", List.of(channel));
        }
        return post(url, params);
    }

    /**
     * POSTs an inbound message to {@code url}: {@code MessageSid}, {@code From}, {@code To},
     * {@code Body}, {@code NumMedia}, and for WhatsApp senders {@code ProfileName} and {@code WaId},
     * then {@code extra}.
     */
    int inbound(String url, Address from, Address to, String body, Map<String, String> extra) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String sid = "SM" + account.hex(16);
        params.put("MessageSid", List.of(sid));
        params.put("SmsMessageSid", List.of(sid));
        params.put("AccountSid", List.of(account.accountSid.value()));
        params.put("From", List.of(from.value()));
        params.put("To", List.of(to.value()));
        params.put("Body", List.of(body));
        params.put("NumMedia", List.of(Long.toString(extra.keySet().stream().filter(k -> k.startsWith("MediaUrl"))
                .count())));
        params.put("NumSegments", List.of("1"));
        params.put("ApiVersion", List.of("2010-04-01"));
        if (from instanceof WhatsAppAddress w) {
            params.put("ProfileName", List.of("Test User"));
            params.put("WaId", List.of(w.phoneNumber().value().substring(1)));
        }
        extra.forEach((k, v) -> params.put(k, List.of(v)));
        return post(url, params);
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
