package org.twiliochannels.testing.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.SentMessage;

/** A channel plug-in written outside core, found by ServiceLoader, sending through the fake. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessengerChannelTest {
    private static final String PAGE = "messenger:1029384756";
    private static final String USER = "messenger:5647382910";

    @Test
    void isDiscoveredAndSendsThroughTheSharedEngine() {
        assertTrue(Channels.available().contains("messenger"), Channels.available().toString());
        try (FakeTwilio twilio = FakeTwilio.start();
             TwilioAccount account = TwilioAccount.open(twilio.config().sender("messenger", PAGE).build())) {
            Channel messenger = account.channel("messenger");
            Receipt r = messenger.send(Message.builder().to(USER).body("Your table is ready").build());
            assertEquals("messenger", r.channel());
            assertEquals(USER, r.to().value());
            assertEquals("messenger:***2910", r.to().masked());
            SentMessage sent = twilio.sent().get(0);
            assertEquals(USER, sent.to());
            assertEquals(PAGE, sent.from());
            assertEquals(r.sid().value(), sent.sid());
        }
    }

    @Test
    void aMissingSenderNamesTheSettingAndTheFix() {
        try (FakeTwilio twilio = FakeTwilio.start(); TwilioAccount account = TwilioAccount.open(twilio.config().build())) {
            ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                    () -> account.channel("messenger"));
            assertTrue(e.getMessage().startsWith("The messenger channel needs a sender: set TWILIO_MESSENGER_FROM"),
                    e.getMessage());
        }
    }

    @Test
    void aPhoneNumberRecipientIsRefusedBeforeAnyRequest() {
        try (FakeTwilio twilio = FakeTwilio.start();
             TwilioAccount account = TwilioAccount.open(twilio.config().sender("messenger", PAGE).build())) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class,
                    () -> account.channel("messenger").send(Message.text("+14155551234", "hi")));
            assertEquals("to", e.field());
            assertEquals(0, twilio.requestCount());
        }
    }
}
