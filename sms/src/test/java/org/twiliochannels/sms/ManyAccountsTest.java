package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AccountUnavailableException;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/**
 * Many accounts in one process, against a loopback server with real HTTP: shared connections and
 * threads, each account's own credentials and close, accounts opened from a resolver, idle
 * closing by the clock, and credentials rotated while a send is in flight.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyAccountsTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    /** When set, the first create request waits for it. */
    private volatile CountDownLatch holdFirst;

    private void answerEveryCreate() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                received.add(r);
                int n = created.incrementAndGet();
                CountDownLatch hold = holdFirst;
                if (n == 1 && hold != null) {
                    hold.await(30, TimeUnit.SECONDS);
                }
                return TwilioJson.created(String.format("SM%032x", n), TestValues.TO, TestValues.SMS_FROM, "queued", "1");
            }
        });
    }

    private static String sid(int i) {
        return String.format("AC%032x", i);
    }

    private static String token(int i, int version) {
        return String.format("%08x", version) + String.format("%024x", i);
    }

    private TwilioConfig config(int i, int version) {
        return TwilioConfig.builder()
                .credentials(TwilioCredentials.of(AccountSid.of(sid(i)), AuthToken.of(token(i, version))))
                .smsFrom(PhoneNumber.of(TestValues.SMS_FROM)).apiBaseUrl(server.url("/").uri()).build();
    }

    private static String basic(int i, int version) {
        return "Basic " + Base64.getEncoder().encodeToString((sid(i) + ":" + token(i, version))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Message hello() {
        return Message.text(TestValues.TO, "hello");
    }

    private static long libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("twilio-channels-")).count();
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void accountsOnOneInfrastructureShareConnectionsAndThreadsButSendWithTheirOwnCredentials() throws Exception {
        answerEveryCreate();
        try (TwilioInfrastructure shared = TwilioInfrastructure.open()) {
            TwilioAccount first = TwilioAccount.builder(config(0, 1)).sharing(shared).build();
            first.channel("sms").send(hello());
            long threadsWithOne = libraryThreads();

            List<TwilioAccount> accounts = new java.util.ArrayList<>(List.of(first));
            for (int i = 1; i < 100; i++) {
                TwilioAccount account = TwilioAccount.builder(config(i, 1)).sharing(shared).build();
                account.channel("sms").send(hello());
                accounts.add(account);
            }
            assertEquals(threadsWithOne, libraryThreads(), "100 accounts use the threads of one");
            assertEquals(100, shared.openAccounts());
            assertEquals(1, shared.connectionPools());
            assertEquals(100, received.size());
            for (int i = 0; i < 100; i++) {
                RecordedRequest r = received.get(i);
                assertEquals("/2010-04-01/Accounts/" + sid(i) + "/Messages.json", r.getUrl().encodedPath());
                assertEquals(basic(i, 1), r.getHeaders().get("Authorization"), "account " + i + "'s own credentials");
                assertEquals(0, r.getConnectionIndex(), "request " + i + " went on the first connection, as all");
            }
            accounts.forEach(TwilioAccount::close);
            assertEquals(0, shared.openAccounts());
        }
    }

    @Test
    void closingAnAccountLeavesTheSharedPartsToTheOthers() {
        answerEveryCreate();
        try (TwilioInfrastructure shared = TwilioInfrastructure.open()) {
            TwilioAccount a = TwilioAccount.builder(config(1, 1)).sharing(shared).build();
            TwilioAccount b = TwilioAccount.builder(config(2, 1)).sharing(shared).build();
            a.channel("sms").send(hello());
            a.close();
            assertThrows(ClientClosedException.class, () -> a.channel("sms").send(hello()));
            b.channel("sms").send(hello());
            assertEquals(basic(2, 1), received.get(1).getHeaders().get("Authorization"));
            assertFalse(shared.isClosed());
            b.close();
        }
    }

    @Test
    void oneListenerSharedByTheAccountsOfAnInfrastructureSeesDistinctSendIds() {
        answerEveryCreate();
        List<Long> ids = new CopyOnWriteArrayList<>();
        org.twiliochannels.core.event.TwilioEventListener listener = new org.twiliochannels.core.event.TwilioEventListener() {
            @Override
            public void sendStarted(org.twiliochannels.core.event.SendStarted event) {
                ids.add(event.sendId());
            }
        };
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccount a = TwilioAccount.builder(config(1, 1)).sharing(shared).listener(listener).build();
             TwilioAccount b = TwilioAccount.builder(config(2, 1)).sharing(shared).listener(listener).build()) {
            a.channel("sms").send(hello());
            b.channel("sms").send(hello());
            a.channel("sms").send(hello());
        }
        assertEquals(3, ids.size());
        assertEquals(3, new java.util.HashSet<>(ids).size(), "send ids unique across accounts: " + ids);
    }

    @Test
    void closingTheInfrastructureUnderAnOpenAccountFailsItsLaterSendsAsNotSent() {
        answerEveryCreate();
        TwilioInfrastructure shared = TwilioInfrastructure.open();
        TwilioAccount a = TwilioAccount.builder(config(1, 1)).sharing(shared).build();
        shared.close();
        assertEquals(1, shared.openAccounts(), "the account is not closed by its infrastructure");
        ClientClosedException e = assertThrows(ClientClosedException.class, () -> a.channel("sms").send(hello()));
        assertEquals("The TwilioInfrastructure that the account behind the sms channel shares is closed; nothing was"
                + " sent. Close accounts before their infrastructure, or open the account on an open one.", e.getMessage());
        assertFalse(e.mayHaveBeenSent());
        assertTrue(a.channel("sms").sendAsync(hello()).isCompletedExceptionally());
        assertEquals(0, server.getRequestCount());
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> TwilioAccount.builder(config(2, 1)).sharing(shared).build());
        assertEquals("this TwilioInfrastructure is closed; open the account " + sid(2) + " on an open one"
                + " (TwilioInfrastructure.open())", late.getMessage());
        a.close();
    }

    @Test
    void asyncSendsNotStartedWhenTheInfrastructureClosesEndAsNotSent() throws Exception {
        answerEveryCreate();
        holdFirst = new CountDownLatch(1);
        TwilioInfrastructure shared = TwilioInfrastructure.builder().sendThreads(1).build();
        TwilioAccount a = TwilioAccount.builder(config(1, 1)).sharing(shared).build();
        java.util.concurrent.CompletableFuture<Receipt> first = a.channel("sms").sendAsync(hello());
        while (server.getRequestCount() == 0) {
            Thread.onSpinWait();
        }
        List<java.util.concurrent.CompletableFuture<Receipt>> queued = List.of(a.channel("sms").sendAsync(hello()),
                a.channel("sms").sendAsync(hello()));
        shared.close();
        holdFirst.countDown();
        for (java.util.concurrent.CompletableFuture<Receipt> f : queued) {
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(10, TimeUnit.SECONDS));
            ClientClosedException closed = org.junit.jupiter.api.Assertions.assertInstanceOf(ClientClosedException.class,
                    e.getCause());
            assertFalse(closed.mayHaveBeenSent());
        }
        assertEquals(1, server.getRequestCount(), "the queued sends made no request");
        first.handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        a.close();
    }

    @Test
    void accountsOpenLazilyFromTheResolverOnceAndAreKept() {
        answerEveryCreate();
        Map<AccountSid, AtomicInteger> asked = new ConcurrentHashMap<>();
        AccountResolver resolver = sid -> {
            asked.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
            int i = Integer.parseInt(sid.value().substring(2), 16);
            return Optional.of(config(i, 1));
        };
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver, shared).build()) {
            assertEquals(0, accounts.openAccounts(), "nothing opened before use");
            for (int round = 0; round < 3; round++) {
                for (int i = 1; i <= 5; i++) {
                    Receipt r = accounts.send(AccountSid.of(sid(i)), "sms", hello());
                    assertEquals("sms", r.channel());
                }
            }
            assertEquals(5, accounts.openAccounts());
            assertEquals(5, shared.openAccounts());
            asked.values().forEach(n -> assertEquals(1, n.get(), "each account resolved once"));
            assertSame(accounts.account(AccountSid.of(sid(1))), accounts.account(AccountSid.of(sid(1))));
            assertEquals(15, received.size());
        }
    }

    @Test
    void aResolverThatThrowsOrKnowsNothingFailsThatAccountOnlyWithItsReason() {
        answerEveryCreate();
        AccountSid good = AccountSid.of(sid(1));
        AccountSid unknown = AccountSid.of(sid(2));
        AccountSid broken = AccountSid.of(sid(3));
        AccountSid wrong = AccountSid.of(sid(4));
        AccountResolver resolver = sid -> {
            if (sid.equals(broken)) {
                throw new java.sql.SQLException("connection refused");
            }
            if (sid.equals(wrong)) {
                return Optional.of(config(1, 1));
            }
            return sid.equals(good) ? Optional.of(config(1, 1)) : Optional.empty();
        };
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver, shared).build()) {
            AccountUnavailableException none = assertThrows(AccountUnavailableException.class,
                    () -> accounts.send(unknown, "sms", hello()));
            assertEquals("account " + unknown + " is unknown to the application's AccountResolver (it returned nothing);"
                    + " nothing was sent. Add the account to the store the resolver reads, or stop sending for it.",
                    none.getMessage());
            assertEquals(unknown, none.accountSid());
            assertFalse(none.mayHaveBeenSent());

            AccountUnavailableException threw = assertThrows(AccountUnavailableException.class,
                    () -> accounts.send(broken, "sms", hello()));
            assertEquals("account " + broken + " could not be opened: its AccountResolver threw java.sql.SQLException"
                    + " (the cause); nothing was sent. Other accounts are not affected; the next use asks the resolver"
                    + " again.", threw.getMessage());
            assertTrue(threw.getCause() instanceof java.sql.SQLException);

            AccountUnavailableException other = assertThrows(AccountUnavailableException.class,
                    () -> accounts.send(wrong, "sms", hello()));
            assertEquals("the AccountResolver returned the configuration of " + good + " when asked for " + wrong
                    + "; nothing was sent, so that no message goes out on another customer's account. Fix the"
                    + " resolver's look-up.", other.getMessage());

            accounts.send(good, "sms", hello());
            assertEquals(1, server.getRequestCount(), "only the good account's message went out");
            assertEquals(1, accounts.openAccounts());
        }
    }

    @Test
    void idleAccountsCloseByTheClockAndOpenAgainAtTheirNextUse() {
        answerEveryCreate();
        TestClock clock = new TestClock();
        AtomicInteger resolved = new AtomicInteger();
        AccountResolver resolver = sid -> {
            resolved.incrementAndGet();
            return Optional.of(config(Integer.parseInt(sid.value().substring(2), 16), 1));
        };
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver, shared).idleAfter(Duration.ofMinutes(10))
                     .clock(clock).build()) {
            AccountSid quiet = AccountSid.of(sid(1));
            AccountSid busy = AccountSid.of(sid(2));
            accounts.send(quiet, "sms", hello());
            accounts.send(busy, "sms", hello());
            clock.now = clock.now.plus(Duration.ofMinutes(6));
            accounts.send(busy, "sms", hello());
            assertEquals(0, accounts.closeIdle(), "nothing idle for 10 minutes yet");
            assertTrue(accounts.isOpen(quiet));
            clock.now = clock.now.plus(Duration.ofMinutes(5));
            accounts.send(busy, "sms", hello());
            assertFalse(accounts.isOpen(quiet), "unused for 11 minutes: closed by the sweep a use makes");
            assertTrue(accounts.isOpen(busy));
            assertEquals(1, shared.openAccounts());

            accounts.send(quiet, "sms", hello());
            assertEquals(3, resolved.get(), "opened again, from the resolver");
        }
    }

    @Test
    void rotatedCredentialsTakeEffectAtOnceWhileTheSendInFlightFinishesWithTheOldOnes() throws Exception {
        answerEveryCreate();
        holdFirst = new CountDownLatch(1);
        AtomicInteger version = new AtomicInteger(1);
        AccountResolver resolver = sid -> Optional.of(config(7, version.get()));
        AccountSid tenant = AccountSid.of(sid(7));
        try (TwilioInfrastructure shared = TwilioInfrastructure.open();
             TwilioAccounts accounts = TwilioAccounts.builder(resolver, shared).build()) {
            TwilioAccount old = accounts.account(tenant);
            AtomicReference<Receipt> inFlight = new AtomicReference<>();
            Thread sending = new Thread(() -> inFlight.set(accounts.send(tenant, "sms", hello())));
            sending.start();
            while (server.getRequestCount() == 0) {
                Thread.onSpinWait();
            }
            version.set(2);
            Thread refreshing = new Thread(() -> accounts.refresh(tenant));
            refreshing.start();
            while (accounts.account(tenant) == old) {
                Thread.onSpinWait();
            }
            assertNotSame(old, accounts.account(tenant));
            accounts.send(tenant, "sms", hello());
            assertTrue(refreshing.isAlive(), "refresh waits for the send in flight on the old credentials");

            holdFirst.countDown();
            sending.join();
            refreshing.join();
            assertEquals("queued", inFlight.get().status().twilioName(), "the send in flight finished");
            assertEquals(basic(7, 1), received.get(0).getHeaders().get("Authorization"));
            assertEquals(basic(7, 2), received.get(1).getHeaders().get("Authorization"));
            assertThrows(ClientClosedException.class, () -> old.channel("sms").send(hello()),
                    "the old account is closed once its send finished");
            assertEquals(1, shared.openAccounts());
        }
    }
}
