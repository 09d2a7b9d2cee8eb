package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AccountUnavailableException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;
import org.twiliochannels.testing.FakeTwilio;

/** Accounts from the application's resolver bean, in a real Spring Boot context, sending to a fake Twilio. */
@Timeout(30)
class TwilioAccountsAutoConfigurationTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioAutoConfiguration.class, TwilioAccountsAutoConfiguration.class));

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** The application's own store: the fake's account only. */
    @Configuration(proxyBeanMethods = false)
    static class Platform {
        @Bean
        AccountResolver tenants() {
            return sid -> sid.equals(TWILIO.accountSid())
                    ? Optional.of(TWILIO.config().smsFrom(FakeTwilio.DEFAULT_SMS_NUMBER).build()) : Optional.empty();
        }

        @Bean
        MultiAccountWebhookVerifier.AuthTokens tokens() {
            return sid -> sid.equals(TWILIO.accountSid()) ? Optional.of(TWILIO.authToken()) : Optional.empty();
        }
    }

    @Test
    void aPlatformWithoutAnAccountOfItsOwnSendsForItsTenantsFromTheResolverBean() {
        AtomicReference<TwilioInfrastructure> infrastructure = new AtomicReference<>();
        runner.withUserConfiguration(Platform.class)
                .withPropertyValues("twilio.enabled=false", "twilio.accounts.idle-after=3m", "twilio.accounts.send-threads=4",
                        "twilio.accounts.rotation-overlap=10m")
                .run(context -> {
                    assertTrue(context.getBeansOfType(org.twiliochannels.core.TwilioAccount.class).isEmpty(),
                            "no account of its own with twilio.enabled=false");
                    TwilioAccounts accounts = context.getBean(TwilioAccounts.class);
                    int before = TWILIO.sent().size();
                    accounts.send(TWILIO.accountSid(), "sms", Message.text("+14155551234", "Your table is ready"));
                    assertEquals(before + 1, TWILIO.sent().size());
                    AccountSid stranger = AccountSid.of("AC" + "e".repeat(32));
                    assertThrows(AccountUnavailableException.class,
                            () -> accounts.send(stranger, "sms", Message.text("+14155551234", "hi")));
                    assertTrue(accounts.toString().contains("idleAfter=PT3M"), accounts.toString());
                    infrastructure.set(context.getBean(TwilioInfrastructure.class));
                    assertEquals(4, infrastructure.get().sendThreads());
                    assertEquals(1, infrastructure.get().openAccounts());
                    assertTrue(context.getBean(MultiAccountWebhookVerifier.class).toString()
                            .contains("rotationOverlap=PT10M"));
                });
        assertTrue(infrastructure.get().isClosed(), "closed with the context");
        assertEquals(0, infrastructure.get().openAccounts(), "the accounts were closed first");
    }

    /** The platform's own consent ledger, one for every tenant. */
    @Configuration(proxyBeanMethods = false)
    static class PlatformConsent {
        @Bean
        ConsentLedger ledger() {
            return ConsentLedger.inMemory();
        }
    }

    @Test
    void anAccountFromTheResolverChecksTheConsentLedgerBeanBeforeAnyRequest() {
        runner.withUserConfiguration(Platform.class, PlatformConsent.class).withPropertyValues("twilio.enabled=false")
                .run(context -> {
                    ConsentLedger ledger = context.getBean(ConsentLedger.class);
                    PhoneNumber person = PhoneNumber.of("+14155550177");
                    ledger.record(ConsentChange.optOut(person, ConsentScope.sender(TWILIO.accountSid(), "sms",
                                    FakeTwilio.DEFAULT_SMS_NUMBER), new ConsentSource.Api("support:alice", "by phone"),
                            Instant.parse("2026-12-01T00:00:00Z")));
                    TwilioAccounts accounts = context.getBean(TwilioAccounts.class);
                    int before = TWILIO.sent().size();
                    assertThrows(RecipientOptedOutException.class, () -> accounts.send(TWILIO.accountSid(), "sms",
                            Message.text(person.value(), "Your table is ready")));
                    assertEquals(before, TWILIO.sent().size(), "no request for the opted-out recipient");
                    assertSame(ledger, accounts.account(TWILIO.accountSid()).consentLedger().orElseThrow());
                });
    }

    @Test
    void withoutAResolverBeanOrWhenDisabledThereAreNoAccounts() {
        runner.withPropertyValues("twilio.enabled=false").run(context -> {
            assertFalse(context.containsBean("twilioAccounts"));
            assertFalse(context.containsBean("twilioInfrastructure"));
        });
        runner.withUserConfiguration(Platform.class).withPropertyValues("twilio.enabled=false",
                "twilio.accounts.enabled=false").run(context -> assertFalse(context.containsBean("twilioAccounts")));
    }
}
