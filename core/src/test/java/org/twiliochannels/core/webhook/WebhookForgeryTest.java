package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.twiliochannels.core.webhook.Webhooks.URL;
import static org.twiliochannels.core.webhook.Webhooks.request;
import static org.twiliochannels.core.webhook.Webhooks.sdkSignature;

import com.twilio.security.RequestValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * Replays of genuine requests that keep a valid signature: boundaries between names and values
 * shifted (Twilio signs them run together), and ports changed.
 */
class WebhookForgeryTest {
    private static final WebhookVerifier VERIFIER = Webhooks.verifier().build();

    /** What Twilio's scheme signs after the URL: every name and value, in name order, run together. */
    private static String signedText(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> s.append(k).append(v));
        return s.toString();
    }

    /**
     * Asserts that {@code forged} carries the genuine signature validly (as the SDK's validator
     * agrees), and that the verifier rejects it naming {@code field}.
     */
    private static WebhookRejectedException assertForgeryRejected(Map<String, String> genuine, Map<String, String> forged,
                                                                  Reason reason, String field) {
        String signature = sdkSignature(URL, genuine);
        assertEquals(signedText(genuine), signedText(forged), "the forgery signs exactly as the genuine request");
        assertTrue(new RequestValidator(TestValues.AUTH_TOKEN).validate(URL, forged, signature),
                "the SDK's validator accepts the forgery");
        VERIFIER.verify(request(URL, genuine, signature));
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                () -> VERIFIER.verify(request(URL, forged, signature)));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(Optional.ofNullable(field), e.field(), e.getMessage());
        return e;
    }

    @Test
    void statusCallbackWithErrorCodeFoldedIntoApiVersionIsRejected() {
        Map<String, String> genuine = Webhooks.status("undelivered");
        genuine.put("ErrorCode", "30003");
        Map<String, String> forged = new LinkedHashMap<>(genuine);
        forged.remove("ErrorCode");
        forged.put("ApiVersion", "2010-04-01ErrorCode30003");
        WebhookRejectedException e = assertForgeryRejected(genuine, forged, Reason.BAD_FIELD, "ApiVersion");
        assertEquals("ApiVersion must be 2010-04-01; a request with a shifted name/value boundary or a changed field"
                + " was not sent by Twilio as it is", e.getMessage());
    }

    @Test
    void inboundMessageWithFromFoldedIntoBodyIsRejected() {
        Map<String, String> genuine = Webhooks.smsInbound("See you at 8");
        Map<String, String> forged = new LinkedHashMap<>(genuine);
        forged.remove("From");
        forged.put("Body", "See you at 8From" + Webhooks.FROM);
        WebhookRejectedException e = assertForgeryRejected(genuine, forged, Reason.BAD_FIELD, "From");
        assertEquals("From is missing; Twilio sends it with every inbound message; a request with a shifted name/value"
                + " boundary or a changed field was not sent by Twilio as it is", e.getMessage());
        assertFalse(e.getMessage().contains("See you"), "never the body");
    }

    @Test
    void otherShiftsOfFieldsTwilioAlwaysSendsAreRejected() {
        Map<String, String> inbound = Webhooks.smsInbound("hello");
        inbound.put("NumSegments", "1");

        Map<String, String> numMedia = new LinkedHashMap<>(inbound);
        numMedia.remove("NumSegments");
        numMedia.put("NumMedia", "0NumSegments1");
        assertForgeryRejected(inbound, numMedia, Reason.BAD_FIELD, "NumMedia");

        Map<String, String> noBody = new LinkedHashMap<>(inbound);
        noBody.remove("Body");
        noBody.put("B", "odyhello");
        assertForgeryRejected(inbound, noBody, Reason.BAD_FIELD, "Body");

        Map<String, String> accountTail = new LinkedHashMap<>(inbound);
        accountTail.remove("ApiVersion");
        accountTail.put("AccountSid", TestValues.ACCOUNT_SID + "ApiVersion2010-04-01");
        assertForgeryRejected(inbound, accountTail, Reason.BAD_FIELD, "AccountSid");

        Map<String, String> status = Webhooks.status("delivered");
        status.put("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef");
        Map<String, String> statusFold = new LinkedHashMap<>(status);
        statusFold.remove("MessagingServiceSid");
        statusFold.put("MessageStatus", "deliveredMessagingServiceSidMG0123456789abcdef0123456789abcdef");
        assertForgeryRejected(status, statusFold, Reason.BAD_FIELD, "MessageStatus");

        Map<String, String> smsStatusFold = new LinkedHashMap<>(status);
        smsStatusFold.remove("To");
        smsStatusFold.put("SmsStatus", "deliveredTo" + Webhooks.FROM);
        assertForgeryRejected(status, smsStatusFold, Reason.BAD_FIELD, "SmsStatus");

        Map<String, String> media = Webhooks.smsInbound("pic");
        media.put("NumMedia", "1");
        media.put("MediaContentType0", "image/jpeg");
        media.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1");
        Map<String, String> mediaFold = new LinkedHashMap<>(media);
        mediaFold.remove("MediaUrl0");
        mediaFold.put("MediaContentType0", "image/jpegMediaUrl0" + media.get("MediaUrl0"));
        assertForgeryRejected(media, mediaFold, Reason.BAD_FIELD, "MediaUrl0");

        Map<String, String> genuineWithSpace = Webhooks.smsInbound("Hi D n");
        Map<String, String> spaceSplit = new LinkedHashMap<>(genuineWithSpace);
        spaceSplit.put("Body", "Hi ");
        spaceSplit.put("D n", "");
        assertForgeryRejected(genuineWithSpace, spaceSplit, Reason.BAD_FIELD, null);
    }

    @Test
    void aRequestSignedForAnotherAccountIsRejectedAsWrongAccount() {
        Map<String, String> p = Webhooks.status("sent");
        p.put("AccountSid", "AC00000000000000000000000000000002");
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> VERIFIER.verify(Webhooks.signed(URL, p)));
        assertEquals(Reason.WRONG_ACCOUNT, e.reason());
        assertEquals(Optional.of("AccountSid"), e.field());
    }

    @Test
    void aSignatureHoldsForItsOwnPortOnly() {
        Map<String, String> p = Webhooks.status("sent");
        List<List<String>> rejected = List.of(
                List.of("https://example.com/twilio/sms", "https://example.com:8443/twilio/sms"),
                List.of("https://example.com:8443/twilio/sms", "https://example.com/twilio/sms"),
                List.of("https://example.com:8443/twilio/sms", "https://example.com:9443/twilio/sms"),
                List.of("https://example.com:8443/twilio/sms", "https://example.com:443/twilio/sms"),
                List.of("http://example.com/twilio/sms", "http://example.com:8080/twilio/sms"),
                List.of("https://example.com/twilio/sms", "https://example.com:80/twilio/sms"),
                List.of("http://example.com/twilio/sms", "http://example.com:443/twilio/sms"),
                List.of("https://example.com/twilio/sms", "http://example.com/twilio/sms"));
        for (List<String> c : rejected) {
            WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                    () -> VERIFIER.verify(request(c.get(1), p, sdkSignature(c.get(0), p))), c.toString());
            assertEquals(Reason.INVALID_SIGNATURE, e.reason(), c.toString());
        }
        assertTrue(new RequestValidator(TestValues.AUTH_TOKEN).validate("https://example.com:8443/twilio/sms", p,
                sdkSignature("https://example.com/twilio/sms", p)), "the SDK's validator takes any port for none");
    }

    @Test
    void theDefaultPortMayBeWrittenOrLeftOut() {
        Map<String, String> p = Webhooks.status("sent");
        List<List<String>> accepted = List.of(
                List.of("https://example.com/twilio/sms?x=1", "https://example.com:443/twilio/sms?x=1"),
                List.of("https://example.com:443/twilio/sms?x=1", "https://example.com/twilio/sms?x=1"),
                List.of("http://example.com/twilio/sms", "http://example.com:80/twilio/sms"),
                List.of("http://example.com:80/twilio/sms", "http://example.com/twilio/sms"),
                List.of("https://example.com:8443/twilio/sms", "https://example.com:8443/twilio/sms"),
                List.of("https://[2001:db8::1]/twilio/sms", "https://[2001:db8::1]:443/twilio/sms"));
        for (List<String> c : accepted) {
            assertInstanceOf(StatusCallback.class, VERIFIER.verify(request(c.get(1), p, sdkSignature(c.get(0), p))),
                    c.toString());
        }
        WebhookVerifier proxied = Webhooks.verifier().publicBaseUrl(java.net.URI.create("https://example.com:443")).build();
        assertInstanceOf(StatusCallback.class, proxied.verify(request("http://10.0.0.7:8080/twilio/sms", p,
                sdkSignature("https://example.com/twilio/sms", p))));
    }
}
