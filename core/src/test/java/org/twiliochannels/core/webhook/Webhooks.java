package org.twiliochannels.core.webhook;

import com.twilio.security.RequestValidator;
import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.testsupport.TestValues;

/** Genuine webhook requests for tests, signed by the Twilio SDK's own signing routine. */
final class Webhooks {
    static final String URL = "https://example.com/twilio/sms?tenant=42";
    static final String MESSAGE_SID = "SM0123456789abcdef0123456789abcdef";
    static final String FROM = "+14155551234";
    static final String WHATSAPP_FROM = "whatsapp:" + FROM;
    static final String BODY = "Grüße 👋 — ça va?";

    private Webhooks() {}

    /** A verifier for the test account. */
    static WebhookVerifier.Builder verifier() {
        return WebhookVerifier.builder(AccountSid.of(TestValues.ACCOUNT_SID), AuthToken.of(TestValues.AUTH_TOKEN));
    }

    /** The signature as the Twilio SDK computes it (its own, private, signing routine: URL + sorted names and values). */
    static String sdkSignature(String url, Map<String, String> params) {
        return sdkSignature(TestValues.AUTH_TOKEN, url, params);
    }

    /** As {@link #sdkSignature(String, Map)}, signed with {@code authToken}. */
    static String sdkSignature(String authToken, String url, Map<String, String> params) {
        try {
            Method sign = RequestValidator.class.getDeclaredMethod("getValidationSignature", String.class, Map.class);
            sign.setAccessible(true);
            return (String) sign.invoke(new RequestValidator(authToken), url, params);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the SDK's RequestValidator changed", e);
        }
    }

    /** A WhatsApp inbound message with two media items, as Twilio sends it. */
    static Map<String, String> inbound() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", MESSAGE_SID);
        p.put("SmsMessageSid", MESSAGE_SID);
        p.put("SmsSid", MESSAGE_SID);
        p.put("AccountSid", TestValues.ACCOUNT_SID);
        p.put("From", WHATSAPP_FROM);
        p.put("To", "whatsapp:+14155238886");
        p.put("Body", BODY);
        p.put("NumMedia", "2");
        p.put("NumSegments", "1");
        p.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1");
        p.put("MediaContentType0", "image/jpeg");
        p.put("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2");
        p.put("MediaContentType1", "application/pdf");
        p.put("ProfileName", "Ada");
        p.put("WaId", "14155551234");
        p.put("SmsStatus", "received");
        p.put("ApiVersion", "2010-04-01");
        p.put("SomethingNew", "kept");
        return p;
    }

    /** An SMS inbound message without media. */
    static Map<String, String> smsInbound(String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", MESSAGE_SID);
        p.put("AccountSid", TestValues.ACCOUNT_SID);
        p.put("From", FROM);
        p.put("To", TestValues.SMS_FROM);
        p.put("Body", body);
        p.put("NumMedia", "0");
        p.put("ApiVersion", "2010-04-01");
        return p;
    }

    /** A status callback of an SMS, as Twilio sends it. */
    static Map<String, String> status(String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TestValues.ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("From", TestValues.SMS_FROM);
        p.put("To", FROM);
        p.put("MessageSid", MESSAGE_SID);
        p.put("SmsSid", MESSAGE_SID);
        p.put("MessageStatus", status);
        p.put("SmsStatus", status);
        return p;
    }

    /** An undelivered status callback with error 30003. */
    static Map<String, String> undelivered() {
        Map<String, String> p = status("undelivered");
        p.put("ErrorCode", "30003");
        p.put("ErrorMessage", "Unreachable destination handset");
        return p;
    }

    static WebhookRequest signed(String url, Map<String, String> params) {
        return request(url, params, sdkSignature(url, params));
    }

    static WebhookRequest request(String url, Map<String, String> params, String signature) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        return WebhookRequest.ofForm(url, multi, signature);
    }

    /** The form body of {@code params}, each name and value URL-encoded. */
    static String formBody(Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
