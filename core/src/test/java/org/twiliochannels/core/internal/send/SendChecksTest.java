package org.twiliochannels.core.internal.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.testsupport.TestValues;

/** The checks alone, on an injected clock: the time a scheduled message goes, and the scope per sender. */
class SendChecksTest {
    private static final AccountSid ACCOUNT = AccountSid.of(TestValues.ACCOUNT_SID);
    private static final PhoneNumber TO = PhoneNumber.of(TestValues.TO);                    // America/Los_Angeles
    private static final Instant NIGHT = Instant.parse("2026-12-07T09:00:00Z");             // 01:00 there
    private static final MessagingServiceSid SERVICE = MessagingServiceSid.of("MG" + "0".repeat(31) + "1");
    private final ConsentLedger ledger = ConsentLedger.inMemory();
    private final SendChecks checks = new SendChecks(ACCOUNT, ledger, QuietHours.defaults(),
            Clock.fixed(NIGHT, ZoneOffset.UTC));

    private static Message marketing(Instant sendAt) {
        return Message.builder().to(TO).body("20% off").category(MessageCategory.MARKETING).sendAt(sendAt).build();
    }

    @Test
    void aScheduledMessageIsCheckedAtTheTimeTwilioWillSendIt() {
        Sender service = Sender.messagingService(SERVICE);
        checks.check("sms", TO, service, marketing(Instant.parse("2026-12-07T18:00:00Z")), SendOptions.defaults());
        QuietHoursException e = assertThrows(QuietHoursException.class, () -> checks.check("sms", TO, service,
                marketing(Instant.parse("2026-12-08T06:00:00Z")), SendOptions.defaults()));          // 22:00 there
        assertEquals(Instant.parse("2026-12-08T16:00:00Z"), e.opensAt());
    }

    @Test
    void eachSenderOfAChannelHasItsOwnScope() {
        PhoneNumber first = PhoneNumber.of("+15005550006");
        PhoneNumber second = PhoneNumber.of("+15005550009");
        ledger.record(ConsentChange.optOut(TO, ConsentScope.sender(ACCOUNT, "sms", second),
                new ConsentSource.Api("support:alice", ""), NIGHT));
        Message text = Message.text(TestValues.TO, "Your order shipped");
        checks.check("sms", TO, Sender.address(first), text, SendOptions.defaults());
        assertThrows(RecipientOptedOutException.class,
                () -> checks.check("sms", TO, Sender.address(second), text, SendOptions.defaults()));
        checks.check("sms", TO, Sender.address(first), text, SendOptions.defaults());
        checks.check("whatsapp", org.twiliochannels.core.WhatsAppAddress.of("whatsapp:" + TestValues.TO),
                Sender.address(org.twiliochannels.core.WhatsAppAddress.of("whatsapp:+15005550009")),
                Message.text("whatsapp:" + TestValues.TO, "hi"), SendOptions.defaults());   // channels are apart
    }
}
