package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookVerifier;
import org.twiliochannels.sms.SmsChannel;
import org.twiliochannels.testing.FakeTwilio;

/** The example server receives a signed status callback and an inbound reply from the fake Twilio. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookRoundTripTest {
    @Test
    void sendThenReceiveStatusCallbacksAndAReplyOnce() throws Exception {
        List<TwilioWebhook> events = new CopyOnWriteArrayList<>();
        try (FakeTwilio twilio = FakeTwilio.start();
             WebhookServer server = WebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     WebhookVerifier.builder(twilio.accountSid(), twilio.authToken()).build(), events::add)) {
            URI status = URI.create(server.baseUrl() + "/twilio/status");
            Receipt receipt;
            try (Channel sms = SmsChannel.open(twilio.config().statusCallback(status).build())) {
                receipt = sms.send(Message.text("+14155551234", "Your table is ready"));
            }
            twilio.deliver(receipt.sid());
            assertEquals(204, twilio.advance(receipt.sid(), MessageStatus.DELIVERED), "a repeated callback is answered");
            assertEquals(200, twilio.sendInbound(server.baseUrl() + "/twilio/inbound",
                    org.twiliochannels.core.PhoneNumber.of("+14155551234"), FakeTwilio.DEFAULT_SMS_NUMBER, "On my way 🏃", Map.of()));

            assertEquals(3, events.size(), events.toString());
            assertEquals(MessageStatus.SENT, assertInstanceOf(StatusCallback.class, events.get(0)).status());
            assertEquals(MessageStatus.DELIVERED, assertInstanceOf(StatusCallback.class, events.get(1)).status());
            assertEquals(receipt.sid(), ((StatusCallback) events.get(1)).messageSid());
            InboundMessage reply = assertInstanceOf(InboundMessage.class, events.get(2));
            assertEquals("On my way 🏃", reply.body());
            assertEquals("+14155551234", reply.from());

            assertEquals(403, post(server.baseUrl() + "/twilio/inbound", "MessageSid=SM0123456789abcdef0123456789abcdef&Body=hi"));
            assertEquals(403, post(server.baseUrl() + "/twilio/inbound", "Body=%zz&From=%"), "a malformed body is a 403, not a 500");
            assertEquals(3, events.size());
        }
    }

    private static int post(String url, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int code = c.getResponseCode();
        c.disconnect();
        return code;
    }
}
