package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.testing.FakeTwilio;

/** The consent ledger bean and the account's checks, without a server. */
@Timeout(30)
class ConsentAutoConfigurationTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioAutoConfiguration.class, TwilioConsentAutoConfiguration.class))
            .withPropertyValues("twilio.account-sid=" + TWILIO.accountSid().value(),
                    "twilio.auth-token=" + TWILIO.authToken().revealSecret(),
                    "twilio.api-base-url=" + TWILIO.baseUrl(), "twilio.phone-number=+15005550006");

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    @Test
    void anInMemoryLedgerByDefaultCheckedByTheAccountWithDefaultQuietHours() {
        runner.run(context -> {
            ConsentLedger ledger = context.getBean(ConsentLedger.class);
            TwilioAccount account = context.getBean(TwilioAccount.class);
            assertSame(ledger, account.consentLedger().orElseThrow());
            assertEquals(ConsentLedger.inMemory().getClass(), ledger.getClass());
            assertTrue(context.containsBean("twilioConsentFeeder"));
            assertEquals(QuietHours.defaults().window(org.twiliochannels.core.PhoneNumber.of("+14155551234"),
                            org.twiliochannels.core.schedule.MessageCategory.MARKETING),
                    account.quietHours().window(org.twiliochannels.core.PhoneNumber.of("+14155551234"),
                            org.twiliochannels.core.schedule.MessageCategory.MARKETING));
        });
    }

    @Test
    void theApplicationsLedgerAndQuietHoursWin() {
        ConsentLedger own = ConsentLedger.inMemory();
        QuietHours none = QuietHours.none();
        runner.withBean("myLedger", ConsentLedger.class, () -> own).withBean(QuietHours.class, () -> none).run(context -> {
            assertEquals(1, context.getBeansOfType(ConsentLedger.class).size());
            assertSame(own, context.getBean(TwilioAccount.class).consentLedger().orElseThrow());
            assertSame(none, context.getBean(TwilioAccount.class).quietHours());
        });
    }
}
