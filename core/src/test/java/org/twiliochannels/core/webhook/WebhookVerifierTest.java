package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.twiliochannels.core.webhook.Webhooks.BODY;
import static org.twiliochannels.core.webhook.Webhooks.MESSAGE_SID;
import static org.twiliochannels.core.webhook.Webhooks.URL;
import static org.twiliochannels.core.webhook.Webhooks.inbound;
import static org.twiliochannels.core.webhook.Webhooks.request;
import static org.twiliochannels.core.webhook.Webhooks.sdkSignature;
import static org.twiliochannels.core.webhook.Webhooks.signed;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.ApiKeySid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

class WebhookVerifierTest {
    private static final WebhookVerifier VERIFIER = Webhooks.verifier().build();

    private static WebhookRejectedException rejection(WebhookVerifier verifier, WebhookRequest r) {
        return assertThrows(WebhookRejectedException.class, () -> verifier.verify(r));
    }

    @Test
    void signedInboundWhatsAppMessageIsReadWithMediaProfileAndExtras() {
        InboundMessage m = assertInstanceOf(InboundMessage.class, VERIFIER.verify(signed(URL, inbound())));
        assertEquals(MESSAGE_SID, m.messageSid());
        assertEquals("whatsapp", m.channel());
        assertEquals("whatsapp:+14155551234", m.from());
        assertEquals(BODY, m.body());
        assertEquals(List.of(
                new InboundMessage.Media(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"), "image/jpeg"),
                new InboundMessage.Media(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2"), "application/pdf")),
                m.media());
        assertEquals(Optional.of("Ada"), m.profileName());
        assertEquals(Optional.of("14155551234"), m.waId());
        assertEquals("kept", m.parameters().get("SomethingNew"));
        assertEquals(Optional.empty(), m.keyword());
        assertEquals(MESSAGE_SID, m.deduplicationKey(), "an inbound message is deduplicated by its SID");
    }

    @Test
    void rawFormBodyVerifiesLikeParsedParameters() {
        Map<String, String> p = inbound();
        WebhookRequest r = WebhookRequest.ofFormBody(URL, Webhooks.formBody(p), sdkSignature(URL, p));
        assertEquals(BODY, assertInstanceOf(InboundMessage.class, VERIFIER.verify(r)).body());
        assertEquals(p.get("Body"), r.parameters().get("Body").get(0));
    }

    @Test
    void changedParameterUrlOrTokenIsRejected() {
        Map<String, String> p = inbound();
        String sig = sdkSignature(URL, p);
        Map<String, String> changed = new LinkedHashMap<>(p);
        changed.put("Body", "Send me the money");
        assertEquals(Reason.INVALID_SIGNATURE, rejection(VERIFIER, request(URL, changed, sig)).reason());
        assertEquals(Reason.INVALID_SIGNATURE, rejection(VERIFIER, request("https://example.com/twilio/sms?tenant=43", p, sig)).reason());
        WebhookVerifier otherToken = WebhookVerifier.builder(AccountSid.of(TestValues.ACCOUNT_SID),
                AuthToken.of("0123456789abcdef0123456789abcdef")).build();
        WebhookRejectedException e = rejection(otherToken, request(URL, p, sig));
        assertEquals(Reason.INVALID_SIGNATURE, e.reason());
        assertEquals("X-Twilio-Signature does not match https://example.com/twilio/sms?…; behind a proxy or load"
                + " balancer, set publicBaseUrl to the URL Twilio calls, and check that the auth token is that of "
                + TestValues.ACCOUNT_SID, e.getMessage());
    }

    @Test
    void missingSignatureAndRepeatedParametersAreRejected() {
        WebhookRejectedException missing = rejection(VERIFIER, request(URL, inbound(), null));
        assertEquals(Reason.MISSING_SIGNATURE, missing.reason());
        assertEquals(Reason.MISSING_SIGNATURE, rejection(VERIFIER, request(URL, inbound(), "  ")).reason());
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        inbound().forEach((k, v) -> repeated.put(k, List.of(v)));
        repeated.put("Body", List.of("a", "b"));
        WebhookRejectedException e = rejection(VERIFIER, WebhookRequest.ofForm(URL, repeated, sdkSignature(URL, inbound())));
        assertEquals(Reason.REPEATED_PARAMETER, e.reason());
        assertEquals(Optional.of("Body"), e.field());
        assertEquals("parameter Body appears 2 times; Twilio's messaging webhooks send each parameter once", e.getMessage());
    }

    @Test
    void behindAProxyThePublicBaseUrlMakesTheSignatureMatch() {
        Map<String, String> p = inbound();
        String sig = sdkSignature("https://example.com/api/twilio/sms?tenant=42", p);
        WebhookRequest seenByApp = request("http://10.0.0.7:8080/twilio/sms?tenant=42", p, sig);
        WebhookRejectedException e = rejection(VERIFIER, seenByApp);
        assertTrue(e.getMessage().contains("set publicBaseUrl to the URL Twilio calls"), e.getMessage());
        WebhookVerifier proxied = Webhooks.verifier().publicBaseUrl(URI.create("https://example.com/api")).build();
        assertEquals("https://example.com/api/twilio/sms?tenant=42", proxied.signedUrl(seenByApp.url()));
        assertInstanceOf(InboundMessage.class, proxied.verify(seenByApp));
        WebhookRejectedException wrongBase = rejection(Webhooks.verifier()
                .publicBaseUrl(URI.create("https://example.com/other")).build(), seenByApp);
        assertEquals("X-Twilio-Signature does not match https://example.com/other/twilio/sms?… (received on"
                + " http://10.0.0.7:8080/twilio/sms?…), and check that the auth token is that of " + TestValues.ACCOUNT_SID,
                wrongBase.getMessage());
    }

    @Test
    void publicBaseUrlMustBeAnAbsoluteHttpUrlWithoutQuery() {
        for (String bad : List.of("/api", "ftp://example.com", "https://example.com/api?x=1", "https://u:pw@example.com",
                "https://example.com:70000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Webhooks.verifier().publicBaseUrl(URI.create(bad)), bad);
            assertTrue(e.getMessage().startsWith("publicBaseUrl \""), e.getMessage());
            assertFalse(e.getMessage().contains("pw"), e.getMessage());
        }
    }

    @Test
    void statusCallbackIsReadWithStatusErrorAndDeduplicationKey() {
        Map<String, String> p = Webhooks.status("read");
        p.put("ChannelPrefix", "whatsapp");
        p.put("From", "whatsapp:+14155238886");
        p.put("To", "whatsapp:+14155551234");
        StatusCallback read = assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, p)));
        assertEquals(MessageStatus.READ, read.status());
        assertEquals("whatsapp", read.channel());
        assertEquals(MESSAGE_SID + ":read", read.deduplicationKey());
        assertEquals(read.deduplicationKey(), VERIFIER.verify(signed(URL, p)).deduplicationKey(),
                "a second delivery of the same event has the same key");
        StatusCallback failed = assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, Webhooks.undelivered())));
        assertEquals(OptionalInt.of(30003), failed.errorCode());
        assertEquals(Optional.of("Unreachable destination handset"), failed.errorMessage());
        assertEquals("StatusCallback[" + MESSAGE_SID + ", status=undelivered, errorCode=30003, channel=sms]", failed.toString());
    }

    @Test
    void statusCallbackFromAnAlphanumericSenderOrWithEmptyFromIsAccepted() {
        Map<String, String> p = Webhooks.status("delivered");
        p.put("From", "MyShop");
        assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, p)));
        p.put("From", "");
        p.put("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef");
        assertInstanceOf(StatusCallback.class, VERIFIER.verify(signed(URL, p)));
        Map<String, String> inbound = Webhooks.smsInbound("hi");
        inbound.put("From", "MyShop");
        assertEquals(Optional.of("From"), rejection(VERIFIER, signed(URL, inbound)).field(),
                "nobody can send an inbound message from an alphanumeric sender ID");
    }

    @Test
    void optOutKeywordsAreRecognised() {
        for (Map.Entry<String, InboundMessage.Keyword> k : Map.of(" stop ", InboundMessage.Keyword.STOP,
                "Unsubscribe", InboundMessage.Keyword.STOP, "START", InboundMessage.Keyword.START,
                "help", InboundMessage.Keyword.HELP).entrySet()) {
            InboundMessage m = assertInstanceOf(InboundMessage.class,
                    VERIFIER.verify(signed(URL, Webhooks.smsInbound(k.getKey()))));
            assertEquals(Optional.of(k.getValue()), m.keyword(), k.getKey());
            assertEquals("sms", m.channel());
        }
    }

    @Test
    void jsonBodyIsVerifiedThroughBodySha256AndItsFieldsWhenPresent() throws Exception {
        String body = "{\"AccountSid\":\"" + TestValues.ACCOUNT_SID + "\",\"MessageSid\":\"" + MESSAGE_SID
                + "\",\"MessageStatus\":\"delivered\",\"Extra\":{\"a\":1},\"Gone\":null}";
        String url = jsonUrl(body);
        String sig = sdkSignature(url, Map.of());
        StatusCallback s = assertInstanceOf(StatusCallback.class, VERIFIER.verify(WebhookRequest.ofJson(url, body, sig)));
        assertEquals(MessageStatus.DELIVERED, s.status());
        assertEquals("{\"a\":1}", s.parameters().get("Extra"));
        assertFalse(s.parameters().containsKey("Gone"));
        WebhookRejectedException changed = rejection(VERIFIER, WebhookRequest.ofJson(url, body.replace("delivered", "failed"), sig));
        assertEquals(Reason.BODY_MISMATCH, changed.reason());

        String otherAccount = body.replace(TestValues.ACCOUNT_SID, "AC00000000000000000000000000000002");
        String otherUrl = jsonUrl(otherAccount);
        WebhookRejectedException wrong = rejection(VERIFIER,
                WebhookRequest.ofJson(otherUrl, otherAccount, sdkSignature(otherUrl, Map.of())));
        assertEquals(Reason.WRONG_ACCOUNT, wrong.reason());
        assertEquals("the request is for account AC00000000000000000000000000000002, but this verifier is for "
                + TestValues.ACCOUNT_SID + "; build one verifier per account, with that account's auth token", wrong.getMessage());

        String array = "[1,2]";
        String arrayUrl = jsonUrl(array);
        assertEquals(Reason.MALFORMED_BODY, rejection(VERIFIER, WebhookRequest.ofJson(arrayUrl, array,
                sdkSignature(arrayUrl, Map.of()))).reason());
        String duplicate = "{\"MessageSid\":\"" + MESSAGE_SID + "\",\"MessageStatus\":\"sent\",\"MessageStatus\":\"read\"}";
        String duplicateUrl = jsonUrl(duplicate);
        assertEquals(Reason.MALFORMED_BODY, rejection(VERIFIER, WebhookRequest.ofJson(duplicateUrl, duplicate,
                sdkSignature(duplicateUrl, Map.of()))).reason());
        String noHash = "https://example.com/twilio/events";
        assertEquals(Reason.BODY_MISMATCH, rejection(VERIFIER, WebhookRequest.ofJson(noHash, body,
                sdkSignature(noHash, Map.of()))).reason());
    }

    private static String jsonUrl(String body) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        return "https://example.com/twilio/events?bodySHA256=" + hash;
    }

    @Test
    void aVerifierIsBuiltFromATokenConfigButNotFromAnApiKeyConfig() {
        TwilioConfig config = TwilioConfig.builder().credentials(TestValues.credentials()).build();
        WebhookVerifier fromConfig = WebhookVerifier.builder(config).build();
        assertEquals(AccountSid.of(TestValues.ACCOUNT_SID), fromConfig.accountSid());
        assertInstanceOf(InboundMessage.class, fromConfig.verify(signed(URL, inbound())));
        assertFalse(fromConfig.toString().contains(TestValues.AUTH_TOKEN), fromConfig.toString());

        TwilioConfig apiKey = TwilioConfig.builder().credentials(TwilioCredentials.ofApiKey(AccountSid.of(TestValues.ACCOUNT_SID),
                ApiKeySid.of("SK00000000000000000000000000000001"), ApiKeySecret.of("0123456789abcdef0123456789abcdef"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.builder(apiKey));
        assertEquals("the config authenticates with API key SK00000000000000000000000000000001, but Twilio signs"
                + " webhooks with the account's auth token; use WebhookVerifier.builder(accountSid, authToken) with the"
                + " auth token of " + TestValues.ACCOUNT_SID + " (Twilio Console > Account Info)", e.getMessage());
    }

    @Test
    void requestAndEventToStringsHideValues() {
        Map<String, String> p = inbound();
        for (Object shown : List.of(request(URL, p, "sig"), WebhookRequest.ofFormBody(URL, Webhooks.formBody(p), "sig"),
                VERIFIER.verify(signed(URL, p)), VERIFIER.verify(signed(URL, Webhooks.undelivered())))) {
            String s = shown.toString();
            assertTrue(!s.contains("Grüße") && !s.contains("14155551234") && !s.contains("tenant") && !s.contains("Unreachable"), s);
        }
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
