package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.testing.ApiRequest;
import org.twiliochannels.testing.FakeTwilio;

/**
 * One worker for many accounts: each message through its own account's credentials, claims
 * round-robin per account, and an account its resolver cannot open failing alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ManyAccountsContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    static final AccountSid THROWS = AccountSid.of("AC" + "e".repeat(32));
    static final AccountSid UNKNOWN = AccountSid.of("AC" + "f".repeat(32));

    FakeTwilio a;
    FakeTwilio b;
    TestClock clock;
    Outbox outbox;
    TwilioInfrastructure shared;
    TwilioAccounts accounts;
    OutboxWorker worker;
    final AtomicInteger resolved = new AtomicInteger();

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        a = FakeTwilio.start();
        b = FakeTwilio.start();
        clock = new TestClock(Instant.now());
        outbox = Outbox.builder(dataSource()).tablePrefix("m" + TABLES.incrementAndGet() + "_")
                .lease(Duration.ofSeconds(5)).workerId("worker-many").clock(clock).build();
        assertEquals(JdbcOutboxStore.VERSIONS.size(), outbox.migrate());
        shared = TwilioInfrastructure.open();
        Map<AccountSid, TwilioConfig> known = Map.of(
                a.accountSid(), a.config().sendDeadline(Duration.ofSeconds(3)).build(),
                b.accountSid(), b.config().sendDeadline(Duration.ofSeconds(3)).build());
        AccountResolver resolver = sid -> {
            resolved.incrementAndGet();
            if (sid.equals(THROWS)) {
                throw new IllegalStateException("tenant store down");
            }
            return Optional.ofNullable(known.get(sid));
        };
        accounts = TwilioAccounts.builder(resolver, shared).build();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        accounts.close();
        shared.close();
        a.close();
        b.close();
    }

    private static OutboxMessage to(AccountSid account, String to, String key) {
        return OutboxMessage.builder("sms", Message.text(to, "Your table is ready")).account(account).key(key).build();
    }

    @Test
    void sendsEachMessageThroughItsOwnAccount() throws Exception {
        enqueue(List.of(to(a.accountSid(), "+14155550101", "a1"), to(a.accountSid(), "+14155550102", "a2"),
                to(a.accountSid(), "+14155550103", "a3")));
        enqueue(List.of(to(b.accountSid(), "+14155550201", "b1"), to(b.accountSid(), "+14155550202", "b2")));

        worker = outbox.startWorker(accounts, WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build());
        AppointmentFlowTest.await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 5);

        assertEquals(List.of("+14155550101", "+14155550102", "+14155550103"),
                a.sent().stream().map(s -> s.to()).sorted().toList());
        assertEquals(List.of("+14155550201", "+14155550202"), b.sent().stream().map(s -> s.to()).sorted().toList());
        // each fake accepts only its own account's credentials, on its own account's path
        for (ApiRequest r : a.requests()) {
            assertTrue(r.path().contains("/Accounts/" + a.accountSid() + "/"), r.path());
            assertEquals(201, r.status(), r.toString());
        }
        for (ApiRequest r : b.requests()) {
            assertTrue(r.path().contains("/Accounts/" + b.accountSid() + "/"), r.path());
            assertEquals(201, r.status(), r.toString());
        }
        assertEquals(2, accounts.openAccounts());
    }

    @Test
    void twoWorkersShareTheAccountsMessagesAndSendEachOnce() throws Exception {
        List<OutboxMessage> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            FakeTwilio tenant = i % 3 == 0 ? b : a;
            batch.add(to(tenant.accountSid(), "+1415556" + String.format("%04d", i), "m" + i));
        }
        enqueue(batch);
        Outbox other = Outbox.builder(dataSource()).tablePrefix(outbox.tablePrefix()).lease(Duration.ofSeconds(5))
                .workerId("worker-two").clock(clock).build();
        WorkerSettings small = WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).batchSize(5)
                .pacing(PacingSettings.builder().senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 1000).build())
                .build();
        worker = outbox.startWorker(accounts, small);
        OutboxWorker second = other.startWorker(accounts, small);
        try {
            AppointmentFlowTest.await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 60);
        } finally {
            second.close();
        }
        assertEquals(60, worker.finishedCount() + second.finishedCount(), "every message finished by one worker");

        assertEquals(40, a.sent().size());
        assertEquals(20, b.sent().size());
        assertEquals(40, a.sent().stream().map(s -> s.to()).distinct().count(), "each sent once");
        assertEquals(20, b.sent().stream().map(s -> s.to()).distinct().count(), "each sent once");
    }

    @Test
    void oneAccountsBacklogDelaysAnotherAccountsMessageByOneClaimAtMost() {
        List<OutboxMessage> backlog = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            backlog.add(OutboxMessage.builder("sms", Message.text("+1415555" + String.format("%04d", i), "Sale"))
                    .account(a.accountSid()).build());
            if (backlog.size() == 1000) {
                enqueue(backlog);
                backlog.clear();
            }
        }
        clock.advance(Duration.ofSeconds(1));
        outbox.enqueue(to(b.accountSid(), "+14155550201", "b-single")); // due after every one of A's
        long bId = outbox.state("b-single").orElseThrow().id();

        Claimer fair = new Claimer(outbox.store(), "worker-many", Duration.ofSeconds(5), clock,
                OutboxStore.AccountScope.FAIR);
        List<Claim> first = fair.claim(100);
        assertEquals(100, first.size());
        assertEquals(a.accountSid(), first.get(0).account().orElseThrow(), "A's oldest message goes first");
        assertEquals(bId, first.get(1).id(), "B's one message is the second of the next claim, not the 5,001st");
        assertEquals(b.accountSid(), first.get(1).account().orElseThrow());
        assertTrue(first.subList(2, 100).stream().allMatch(c -> c.account().orElseThrow().equals(a.accountSid())));

        List<Claim> second = fair.claim(100);
        assertEquals(100, second.size());
        assertTrue(second.stream().noneMatch(c -> first.stream().anyMatch(f -> f.id() == c.id())),
                "a second claim takes other rows");

        // oldest due first across accounts, as a single-account claim orders, would have put B behind A's backlog
        Claimer oldestFirst = new Claimer(outbox.store(), "worker-other", Duration.ofSeconds(5), clock);
        List<Claim> unfair = oldestFirst.claim(100);
        assertTrue(unfair.stream().noneMatch(c -> c.id() == bId));
    }

    @Test
    void anAccountItsResolverCannotOpenFailsAloneWithTheReason() throws Exception {
        enqueue(List.of(to(THROWS, "+14155550301", "down-1"), to(UNKNOWN, "+14155550401", "gone-1"),
                to(a.accountSid(), "+14155550101", "a1"), to(a.accountSid(), "+14155550102", "a2")));

        worker = outbox.startWorker(accounts, WorkerSettings.builder().pollInterval(Duration.ofMillis(20))
                .maxAttempts(1).build());
        AppointmentFlowTest.await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 2 && outbox.counts().get(OutboxState.REJECTED) == 2);

        OutboxRecord down = outbox.state("down-1").orElseThrow();
        assertEquals(OutboxState.REJECTED, down.state());
        assertTrue(down.errorMessage().orElseThrow().contains("its AccountResolver threw java.lang.IllegalStateException"),
                down.errorMessage().orElseThrow());
        OutboxRecord gone = outbox.state("gone-1").orElseThrow();
        assertEquals(OutboxState.REJECTED, gone.state());
        assertTrue(gone.errorMessage().orElseThrow().contains("is unknown to the application's AccountResolver"),
                gone.errorMessage().orElseThrow());
        assertTrue(down.sid().isEmpty() && gone.sid().isEmpty());
        assertEquals(2, a.sent().size());
        assertEquals(0, b.requestCount());
    }

    @Test
    void anAccountThatCannotBeOpenedIsRetriedWithBackoffThenRejectedWithTheReason() throws Exception {
        outbox.enqueue(to(THROWS, "+14155550301", "down-1"));
        worker = outbox.startWorker(accounts, WorkerSettings.builder().pollInterval(Duration.ofMillis(20))
                .maxAttempts(3).build());
        AppointmentFlowTest.await(() -> outbox.state("down-1").orElseThrow().attempts() == 1);

        OutboxRecord r = outbox.state("down-1").orElseThrow();
        assertEquals(OutboxState.QUEUED, r.state(), "queued again, not sent");
        assertTrue(r.dueAt().isAfter(clock.instant()), "with a backoff: " + r.dueAt());
        assertTrue(r.errorMessage().orElseThrow().contains("nothing was sent"), r.errorMessage().orElseThrow());

        clock.advance(Duration.ofSeconds(2)); // past the first backoff (1 s)
        AppointmentFlowTest.await(() -> outbox.state("down-1").orElseThrow().attempts() == 2);
        clock.advance(Duration.ofSeconds(3)); // past the second (2 s): the last attempt, then rejected with the reason
        AppointmentFlowTest.await(() -> outbox.state("down-1").orElseThrow().state() == OutboxState.REJECTED);
        OutboxRecord rejected = outbox.state("down-1").orElseThrow();
        String error = rejected.errorMessage().orElseThrow();
        assertTrue(error.startsWith("account " + THROWS + " could not be opened"), error);
        String last = rejected.history().get(rejected.history().size() - 1).detail().orElseThrow();
        assertTrue(last.startsWith("gave up after 3 attempts: account " + THROWS), last);
        assertTrue(resolved.get() >= 3, "the resolver asked again at each attempt (failures are not cached)");
    }

    @Test
    void aSingleAccountWorkerTakesItsOwnRowsAndRowsNamingNoneOnly() throws Exception {
        enqueue(List.of(OutboxMessage.of("sms", Message.text("+14155550100", "old row"), "unnamed"),
                to(a.accountSid(), "+14155550101", "a1"), to(b.accountSid(), "+14155550201", "b1")));
        try (TwilioAccount onlyA = TwilioAccount.open(a.config().sendDeadline(Duration.ofSeconds(3)).build())) {
            worker = outbox.startWorker(onlyA, WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build());
            AppointmentFlowTest.await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 2);
            worker.close();
        }
        assertEquals(OutboxState.ACCEPTED, outbox.state("unnamed").orElseThrow().state());
        assertEquals(OutboxState.QUEUED, outbox.state("b1").orElseThrow().state(), "never sent on A's credentials");
        assertEquals(0, b.requestCount());

        // and the worker for many accounts leaves rows naming no account alone
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550109", "old row"), "unnamed-2"));
        worker = outbox.startWorker(accounts, WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build());
        AppointmentFlowTest.await(() -> outbox.state("b1").orElseThrow().state() == OutboxState.ACCEPTED);
        assertEquals(OutboxState.QUEUED, outbox.state("unnamed-2").orElseThrow().state());
        assertEquals(1, b.sent().size());
        assertFalse(a.sent().stream().anyMatch(s -> s.to().equals("+14155550109")));
    }

    private void enqueue(List<OutboxMessage> batch) {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueueAll(c, batch);
            c.commit();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
