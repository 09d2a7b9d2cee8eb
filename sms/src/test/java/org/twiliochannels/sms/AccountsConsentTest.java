package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AccountUnavailableException;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/**
 * Accounts opened from a resolver keep the consent and quiet hours a customizer gives them: one
 * ledger for all accounts, an opt-out holding only in the account it was recorded for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccountsConsentTest {
    private static final AccountSid FIRST = AccountSid.of(String.format("AC%032x", 1));
    private static final AccountSid SECOND = AccountSid.of(String.format("AC%032x", 2));
    private static final PhoneNumber FROM = PhoneNumber.of(TestValues.SMS_FROM);
    private static final PhoneNumber TO = PhoneNumber.of(TestValues.TO);
    /** 09:00 UTC: 01:00 in San Francisco, where TestValues.TO (+1415) is. */
    private static final Instant NIGHT_IN_CALIFORNIA = Instant.parse("2026-12-07T09:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final ConsentLedger ledger = ConsentLedger.inMemory();

    private AccountResolver resolver() {
        return sid -> Optional.of(TwilioConfig.builder()
                .credentials(TwilioCredentials.of(sid, AuthToken.of(sid.value().substring(2))))
                .smsFrom(FROM).apiBaseUrl(server.url("/").uri()).build());
    }

    private void optOut(AccountSid account) {
        ledger.record(ConsentChange.optOut(TO, ConsentScope.sender(account, "sms", FROM),
                new ConsentSource.Api("support:alice", "asked by phone"), Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void anAccountFromTheResolverRefusesItsOptedOutRecipientWithNoRequest() {
        optOut(FIRST);
        server.enqueue(TwilioJson.created("SM" + "0".repeat(31) + "1", TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver(), shared)
                     .customize((sid, account) -> account.consentLedger(ledger)).build()) {
            RecipientOptedOutException e = assertThrows(RecipientOptedOutException.class,
                    () -> accounts.send(FIRST, "sms", Message.text(TestValues.TO, "Your table is ready")));
            assertFalse(e.mayHaveBeenSent());
            assertTrue(e.getMessage().contains("(account " + FIRST.value() + ")"), e.getMessage());
            assertEquals(0, server.getRequestCount(), "no request for the opted-out recipient");
            assertSame(ledger, accounts.account(FIRST).consentLedger().orElseThrow());

            accounts.send(SECOND, "sms", Message.text(TestValues.TO, "Your table is ready"));
            assertEquals(1, server.getRequestCount(), "the opt-out holds in its own account only");
        }
    }

    @Test
    void theCustomizerIsAskedAgainWhenAnAccountIsReopened() {
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver(), shared)
                     .customize((sid, account) -> account.consentLedger(ledger)).build()) {
            accounts.account(FIRST);
            accounts.refresh(FIRST);
            optOut(FIRST);
            assertThrows(RecipientOptedOutException.class,
                    () -> accounts.send(FIRST, "sms", Message.text(TestValues.TO, "Your table is ready")));
            assertEquals(0, server.getRequestCount());
        }
    }

    @Test
    void quietHoursFromTheCustomizerHoldAMarketingMessageAtNight() {
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver(), shared)
                     .customize((sid, account) -> account.quietHours(QuietHours.defaults())
                             .clock(Clock.fixed(NIGHT_IN_CALIFORNIA, ZoneOffset.UTC))).build()) {
            assertThrows(QuietHoursException.class, () -> accounts.send(FIRST, "sms",
                    Message.builder().to(TestValues.TO).body("20% off tonight")
                            .category(MessageCategory.MARKETING).build()));
            assertEquals(0, server.getRequestCount());
        }
    }

    @Test
    void aCustomizerThatThrowsMakesThatAccountUnavailableAndNothingIsSent() {
        IllegalStateException broken = new IllegalStateException("no ledger for this tenant");
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver(), shared)
                     .customize((sid, account) -> {
                         if (sid.equals(FIRST)) {
                             throw broken;
                         }
                     }).build()) {
            AccountUnavailableException e = assertThrows(AccountUnavailableException.class,
                    () -> accounts.send(FIRST, "sms", Message.text(TestValues.TO, "hi")));
            assertEquals("account " + FIRST.value() + " could not be opened: a TwilioAccounts customizer threw"
                    + " java.lang.IllegalStateException (the cause); nothing was sent. Other accounts are not affected;"
                    + " the next use tries again.", e.getMessage());
            assertSame(broken, e.getCause());
            assertFalse(accounts.isOpen(FIRST));
            assertEquals(0, server.getRequestCount());
        }
    }
}
