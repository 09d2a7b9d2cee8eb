package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.security.RequestValidator;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

class WebhookVerifierTest {
    private static final String URL = "https://example.com/twilio/sms?tenant=42";
    private static final WebhookVerifier VERIFIER = WebhookVerifier.builder(AuthToken.of(TestValues.AUTH_TOKEN)).build();

    /** The signature as the Twilio SDK computes it (its own, private, signing routine). */
    static String sdkSignature(String token, String url, Map<String, String> params) throws Exception {
        Method sign = RequestValidator.class.getDeclaredMethod("getValidationSignature", String.class, Map.class);
        sign.setAccessible(true);
        return (String) sign.invoke(new RequestValidator(token), url, params);
    }

    private static Map<String, String> inbound() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
        p.put("AccountSid", TestValues.ACCOUNT_SID);
        p.put("From", "whatsapp:+14155551234");
        p.put("To", "whatsapp:+14155238886");
        p.put("Body", "Grüße 👋 — ça va?");
        p.put("NumMedia", "2");
        p.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1");
        p.put("MediaContentType0", "image/jpeg");
        p.put("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2");
        p.put("MediaContentType1", "application/pdf");
        p.put("ProfileName", "Ada");
        p.put("WaId", "14155551234");
        p.put("SomethingNew", "kept");
        return p;
    }

    private static WebhookRequest signed(String url, Map<String, String> params) throws Exception {
        return request(url, params, sdkSignature(TestValues.AUTH_TOKEN, url, params));
    }

    private static WebhookRequest request(String url, Map<String, String> params, String signature) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        return WebhookRequest.ofForm(url, multi, signature);
    }

    private static Reason rejection(WebhookVerifier verifier, WebhookRequest r) {
        return assertThrows(WebhookRejectedException.class, () -> verifier.verify(r)).reason();
    }

    @Test
    void signedInboundWhatsAppMessageIsReadWithMediaProfileAndExtras() throws Exception {
        InboundMessage m = assertInstanceOf(InboundMessage.class, VERIFIER.verify(signed(URL, inbound())));
        assertEquals("SM0123456789abcdef0123456789abcdef", m.messageSid());
        assertEquals("whatsapp", m.channel());
        assertEquals("Grüße 👋 — ça va?", m.body());
        assertEquals(List.of(
                new InboundMessage.Media(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"), "image/jpeg"),
                new InboundMessage.Media(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2"), "application/pdf")),
                m.media());
        assertEquals(Optional.of("Ada"), m.profileName());
        assertEquals(Optional.of("14155551234"), m.waId());
        assertEquals("kept", m.parameters().get("SomethingNew"));
        assertEquals(Optional.empty(), m.keyword());
    }

    @Test
    void rawFormBodyVerifiesLikeParsedParameters() throws Exception {
        Map<String, String> p = inbound();
        StringBuilder body = new StringBuilder();
        p.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        WebhookRequest r = WebhookRequest.ofFormBody(URL, body.toString(), sdkSignature(TestValues.AUTH_TOKEN, URL, p));
        assertInstanceOf(InboundMessage.class, VERIFIER.verify(r));
    }

    @Test
    void changedParameterUrlPortOrTokenIsRejected() throws Exception {
        Map<String, String> p = inbound();
        String sig = sdkSignature(TestValues.AUTH_TOKEN, URL, p);
        Map<String, String> changed = new LinkedHashMap<>(p);
        changed.put("Body", "Send me the money");
        assertEquals(Reason.INVALID_SIGNATURE, rejection(VERIFIER, request(URL, changed, sig)));
        assertEquals(Reason.INVALID_SIGNATURE, rejection(VERIFIER, request("https://example.com/twilio/sms?tenant=43", p, sig)));
        // Twilio signs the port it called; the SDK treats "no port" and the scheme's default port alike
        String onPort = "https://example.com:8443/twilio/sms?tenant=42";
        String sigOnPort = sdkSignature(TestValues.AUTH_TOKEN, onPort, p);
        assertInstanceOf(InboundMessage.class, VERIFIER.verify(request(onPort, p, sigOnPort)));
        assertEquals(Reason.INVALID_SIGNATURE,
                rejection(VERIFIER, request("https://example.com:9443/twilio/sms?tenant=42", p, sigOnPort)));
        WebhookVerifier otherAccount = WebhookVerifier.builder(AuthToken.of("0123456789abcdef0123456789abcdef")).build();
        assertEquals(Reason.INVALID_SIGNATURE, rejection(otherAccount, request(URL, p, sig)));
    }

    @Test
    void missingSignatureAndRepeatedParametersAreRejected() throws Exception {
        assertEquals(Reason.MISSING_SIGNATURE, rejection(VERIFIER, request(URL, inbound(), null)));
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        inbound().forEach((k, v) -> repeated.put(k, List.of(v)));
        repeated.put("Body", List.of("a", "b"));
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> VERIFIER.verify(
                WebhookRequest.ofForm(URL, repeated, sdkSignature(TestValues.AUTH_TOKEN, URL, inbound()))));
        assertEquals(Reason.REPEATED_PARAMETER, e.reason());
        assertEquals("parameter Body appears 2 times; Twilio's messaging webhooks send each parameter once", e.getMessage());
    }

    @Test
    void behindAProxyThePublicBaseUrlMakesTheSignatureMatch() throws Exception {
        Map<String, String> p = inbound();
        String sig = sdkSignature(TestValues.AUTH_TOKEN, "https://example.com/api/twilio/sms?tenant=42", p);
        WebhookRequest seenByApp = request("http://10.0.0.7:8080/twilio/sms?tenant=42", p, sig);
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> VERIFIER.verify(seenByApp));
        assertTrue(e.getMessage().contains("set publicBaseUrl to the URL Twilio calls"), e.getMessage());
        WebhookVerifier proxied = WebhookVerifier.builder(AuthToken.of(TestValues.AUTH_TOKEN))
                .publicBaseUrl(URI.create("https://example.com/api")).build();
        assertEquals("https://example.com/api/twilio/sms?tenant=42", proxied.signedUrl(seenByApp.url()));
        assertInstanceOf(InboundMessage.class, proxied.verify(seenByApp));
    }

    @Test
    void statusCallbackIsReadWithStatusErrorAndDeduplicationKey() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
        p.put("MessageStatus", "read");
        p.put("ChannelPrefix", "whatsapp");
        p.put("To", "whatsapp:+14155551234");
        StatusCallback read = assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, p)));
        assertEquals(MessageStatus.READ, read.status());
        assertEquals("whatsapp", read.channel());
        assertEquals("SM0123456789abcdef0123456789abcdef:read", read.deduplicationKey());
        assertEquals(read.deduplicationKey(), VERIFIER.verify(signed(URL, p)).deduplicationKey(),
                "a second delivery of the same event has the same key");
        p.put("MessageStatus", "undelivered");
        p.put("ErrorCode", "30003");
        p.put("ErrorMessage", "Unreachable destination handset");
        StatusCallback failed = assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, p)));
        assertEquals(OptionalInt.of(30003), failed.errorCode());
        assertEquals(Optional.of("Unreachable destination handset"), failed.errorMessage());
    }

    @Test
    void optOutKeywordsAreRecognised() throws Exception {
        for (Map.Entry<String, InboundMessage.Keyword> k : Map.of(" stop ", InboundMessage.Keyword.STOP,
                "Unsubscribe", InboundMessage.Keyword.STOP, "START", InboundMessage.Keyword.START,
                "help", InboundMessage.Keyword.HELP).entrySet()) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("MessageSid", "SM0123456789abcdef0123456789abcdef");
            p.put("From", "+14155551234");
            p.put("To", "+15005550006");
            p.put("Body", k.getKey());
            InboundMessage m = assertInstanceOf(InboundMessage.class, VERIFIER.verify(signed(URL, p)));
            assertEquals(Optional.of(k.getValue()), m.keyword(), k.getKey());
        }
    }

    @Test
    void jsonBodyIsVerifiedThroughBodySha256() throws Exception {
        String body = "{\"MessageSid\":\"SM0123456789abcdef0123456789abcdef\",\"MessageStatus\":\"delivered\"}";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        String url = "https://example.com/twilio/events?bodySHA256=" + hash;
        String sig = sdkSignature(TestValues.AUTH_TOKEN, url, Map.of());
        StatusCallback s = assertInstanceOf(StatusCallback.class, VERIFIER.verify(WebhookRequest.ofJson(url, body, sig)));
        assertEquals(MessageStatus.DELIVERED, s.status());
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> VERIFIER.verify(
                WebhookRequest.ofJson(url, body.replace("delivered", "failed"), sig)));
        assertEquals(Reason.BODY_MISMATCH, e.reason());
    }

    @Test
    void requestToStringHidesValues() {
        WebhookRequest r = request(URL, inbound(), "sig");
        assertTrue(!r.toString().contains("Grüße") && !r.toString().contains("+14155551234"), r.toString());
    }

    @Test
    void twimlReplyIsWrittenAndEscapedByTheSdk() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>Thanks &amp; bye &lt;3</Body>"
                + "</Message></Response>", TwimlReply.message("Thanks & bye <3"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", TwimlReply.none());
        assertTrue(TwimlReply.message("see", URI.create("https://example.com/a.png"))
                .contains("<Media>https://example.com/a.png</Media>"));
    }
}
