package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.twiliochannels.core.webhook.Webhooks.URL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;

/** Every verification is reported once to every listener, with a kind and a fixed reason phrase. */
class WebhookEventsTest {

    private static final class Recorder implements TwilioEventListener {
        final List<WebhookVerified> events = new ArrayList<>();

        @Override
        public void webhookVerified(WebhookVerified event) {
            events.add(event);
        }
    }

    @Test
    void everyVerificationIsReportedWithKindAndReason() {
        Recorder recorder = new Recorder();
        WebhookVerifier verifier = Webhooks.verifier().listener(recorder).build();

        verifier.verify(Webhooks.signed(URL, Webhooks.inbound()));
        verifier.verify(Webhooks.signed(URL, Webhooks.undelivered()));
        reject(verifier, Webhooks.request(URL, Webhooks.inbound(), null));
        reject(verifier, Webhooks.request(URL, Webhooks.status("sent"), "AAAA"));
        reject(verifier, WebhookRequest.ofFormBody(URL, "Body=%zz", "AAAA"));
        reject(verifier, Webhooks.request("https://example.com/a|b", Webhooks.status("sent"), "AAAA"));
        Map<String, String> otherAccount = Webhooks.status("sent");
        otherAccount.put("AccountSid", "AC00000000000000000000000000000002");
        reject(verifier, Webhooks.signed(URL, otherAccount));
        Map<String, String> shifted = Webhooks.smsInbound("hi");
        shifted.put("ApiVersion", "2010-04-01x");
        reject(verifier, Webhooks.signed(URL, shifted));
        Map<String, String> neither = Webhooks.status("sent");
        neither.remove("MessageStatus");
        reject(verifier, Webhooks.signed(URL, neither));

        assertEquals(List.of(
                new WebhookVerified("inbound", true, ""),
                new WebhookVerified("status", true, ""),
                new WebhookVerified("inbound", false, "missing signature"),
                new WebhookVerified("status", false, "bad signature"),
                new WebhookVerified("unknown", false, "malformed body"),
                new WebhookVerified("unknown", false, "malformed url"),
                new WebhookVerified("status", false, "wrong account"),
                new WebhookVerified("inbound", false, "bad field"),
                new WebhookVerified("unknown", false, "not a messaging webhook")), recorder.events);
    }

    @Test
    void aThrowingListenerChangesNothingAndTheOthersAreStillTold() {
        Recorder first = new Recorder();
        Recorder last = new Recorder();
        WebhookVerifier verifier = Webhooks.verifier().listener(first).listener(new TwilioEventListener() {
            @Override
            public void webhookVerified(WebhookVerified event) {
                throw new IllegalStateException("listener bug");
            }
        }).listener(last).build();
        assertInstanceOf(StatusCallback.class, verifier.verify(Webhooks.signed(URL, Webhooks.status("sent"))));
        reject(verifier, Webhooks.request(URL, Webhooks.status("sent"), null));
        List<WebhookVerified> expected = List.of(new WebhookVerified("status", true, ""),
                new WebhookVerified("status", false, "missing signature"));
        assertEquals(expected, first.events);
        assertEquals(expected, last.events);
    }

    @Test
    void jsonWebhooksAreReportedByTheKindTheirBodyNames() throws Exception {
        Recorder recorder = new Recorder();
        WebhookVerifier verifier = Webhooks.verifier().listener(recorder).build();
        String body = "{\"MessageSid\":\"" + Webhooks.MESSAGE_SID + "\",\"MessageStatus\":\"sent\"}";
        String url = "https://example.com/events?bodySHA256=" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        verifier.verify(WebhookRequest.ofJson(url, body, Webhooks.sdkSignature(url, Map.of())));
        reject(verifier, WebhookRequest.ofJson(url, body, "AAAA"));
        assertEquals(List.of(new WebhookVerified("status", true, ""), new WebhookVerified("unknown", false, "bad signature")),
                recorder.events);
    }

    private static void reject(WebhookVerifier verifier, WebhookRequest request) {
        assertThrows(WebhookRejectedException.class, () -> verifier.verify(request));
    }
}
