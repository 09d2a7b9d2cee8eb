package org.twiliochannels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WhatsAppChannelTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig config() {
        return TwilioConfig.builder()
                .credentials(TestValues.credentials())
                .whatsAppFrom(WhatsAppAddress.SANDBOX)
                .apiBaseUrl(server.url("/").uri())
                .build();
    }

    @Test
    void sendsWithWhatsAppPrefixOnBothAddresses() throws Exception {
        server.enqueue(TwilioJson.created(SID, "whatsapp:" + TestValues.TO, "whatsapp:+14155238886", "queued", "1"));
        Receipt receipt;
        try (Channel whatsapp = WhatsAppChannel.open(config())) {
            receipt = whatsapp.send(Message.text(TestValues.TO, "Your order shipped"));
        }
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json", request.getUrl().encodedPath());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((TestValues.ACCOUNT_SID + ":" + TestValues.AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8)), request.getHeaders().get("Authorization"));
        FormBody form = FormBody.parse(request.getBody().utf8());
        assertEquals("whatsapp:" + TestValues.TO, form.first("To").orElseThrow());
        assertEquals("whatsapp:+14155238886", form.first("From").orElseThrow());
        assertEquals("Your order shipped", form.first("Body").orElseThrow());
        assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS));
        assertEquals(Receipt.of("whatsapp", MessageSid.of(SID), MessageStatus.QUEUED,
                WhatsAppAddress.of("whatsapp:" + TestValues.TO), OptionalInt.of(1)), receipt);
    }

    @Test
    void acceptsRecipientAlreadyPrefixed() throws Exception {
        server.enqueue(TwilioJson.created(SID, "whatsapp:" + TestValues.TO, "whatsapp:+14155238886", "queued", "1"));
        try (Channel whatsapp = WhatsAppChannel.open(config())) {
            whatsapp.send(Message.text("whatsapp:" + TestValues.TO, "hi"));
        }
        assertEquals("whatsapp:" + TestValues.TO,
                FormBody.parse(server.takeRequest().getBody().utf8()).first("To").orElseThrow());
    }

    @Test
    void sandboxNotJoinedExplainsHowToJoin() {
        server.enqueue(TwilioJson.error(400, 63015,
                "Channel Sandbox can only send messages to phone numbers that have joined the Sandbox"));
        try (Channel whatsapp = WhatsAppChannel.open(config())) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> whatsapp.send(Message.text(TestValues.TO, "hi")));
            assertEquals(TwilioErrorCode.SANDBOX_NOT_JOINED, e.error().known().orElseThrow());
            assertTrue(e.getMessage().contains("'join <your sandbox code>'"), e.getMessage());
        }
    }

    @Test
    void sendingToTheSenderItselfIsRejectedBeforeAnyRequest() {
        try (Channel whatsapp = WhatsAppChannel.open(config())) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class,
                    () -> whatsapp.send(Message.text("+14155238886", "hi")));
            assertEquals("to: \"whatsapp:+14155238886\" is the sender's own address; Twilio cannot send a message"
                    + " from an address to itself: send to another recipient.", e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void openingWithoutSenderNamesTwilioWhatsAppFrom() {
        TwilioConfig noSender = TwilioConfig.builder().credentials(TestValues.credentials()).build();
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> WhatsAppChannel.open(noSender));
        assertTrue(e.getMessage().startsWith("The whatsapp channel needs a sender: set TWILIO_WHATSAPP_FROM"),
                e.getMessage());
    }
}
