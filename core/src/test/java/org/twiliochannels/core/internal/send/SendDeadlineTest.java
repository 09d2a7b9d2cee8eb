package org.twiliochannels.core.internal.send;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.testsupport.RawPeer;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.internal.twilio.TwilioTransportTest;

/**
 * A whole send against a peer that accepts TCP and never answers the TLS handshake: it ends by its
 * deadline (not minutes later) and as not sent, since nothing was ever written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendDeadlineTest {
    /** A channel sending from the test SMS number to the message's recipient. */
    static final ChannelPolicy SMS_LIKE = new ChannelPolicy() {
        @Override
        public Address recipient(Message message) {
            return message.to();
        }

        @Override
        public Sender sender(Message message) {
            return Sender.address(PhoneNumber.of(TestValues.SMS_FROM));
        }

        @Override
        public String describe() {
            return "from " + TestValues.SMS_FROM;
        }
    };

    @Test
    void aSilentTlsPeerCannotHoldASendPastItsDeadline() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT)) {
            TwilioConfig config = TwilioTransportTest.config(peer.https()).sendDeadline(Duration.ofSeconds(2)).build();
            try (AccountEngine engine = new AccountEngine(config, List.of())) {
                TwilioUnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(
                        TwilioUnreachableException.class,
                        () -> engine.send("sms", SMS_LIKE, Message.text(TestValues.TO, "hello"),
                                org.twiliochannels.core.SendOptions.defaults())));
                assertFalse(e.mayHaveBeenSent(), e.getMessage());
            }
        }
    }
}
