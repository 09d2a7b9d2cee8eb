package org.twiliochannels.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/**
 * What the outbox does on one instance, run against each engine: PostgreSQL and the H2 default.
 * Each test has its own table prefix, so tests share one database without seeing each other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class OutboxContract {
    private static final AtomicInteger TABLES = new AtomicInteger();

    FakeTwilio twilio;
    TwilioAccount account;
    TestClock clock;
    Outbox outbox;
    OutboxWorker worker;
    WorkerSettings settings = WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build();

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        twilio = FakeTwilio.start();
        account = TwilioAccount.open(twilio.config().sendDeadline(Duration.ofSeconds(3)).build());
        clock = new TestClock(Instant.now());
        outbox = Outbox.builder(dataSource()).tablePrefix("t" + TABLES.incrementAndGet() + "_")
                .lease(Duration.ofSeconds(5)).workerId("worker-a").clock(clock).build();
        assertEquals(JdbcOutboxStore.VERSIONS.size(), outbox.migrate());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        account.close();
        twilio.close();
    }

    @Test
    void migrateIsIdempotent() {
        assertEquals(0, outbox.migrate());
    }

    @Test
    void rolledBackEnqueueIsNeverSent() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertTrue(outbox.enqueue(c, OutboxMessage.of("sms", Message.text("+14155550101", "rolled back"), "a")));
            c.rollback();
        }
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550102", "committed"), "b"));
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 1);

        assertEquals(1, twilio.sent().size());
        assertEquals("+14155550102", twilio.sent().get(0).to());
        assertTrue(outbox.state("a").isEmpty());
        assertEquals(1L, outbox.counts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void enqueueJoinsTheCallersTransactionAndLeavesItOpen() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, OutboxMessage.of("sms", Message.text("+14155550101", "hello"), "k1"));
            assertFalse(c.getAutoCommit());
            assertEquals(0L, outbox.counts().get(OutboxState.QUEUED), "invisible to others before the commit");
            c.commit();
        }
        assertEquals(1L, outbox.counts().get(OutboxState.QUEUED));
    }

    @Test
    void committedEnqueueIsSentOnceAndRecorded() throws Exception {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, OutboxMessage.builder("sms", Message.text("+14155550101", "Order 42 received"))
                    .key("order-42").batch("orders").build());
            c.commit();
        }
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("order-42").orElseThrow().state() == OutboxState.ACCEPTED);

        OutboxRecord r = outbox.state("order-42").orElseThrow();
        assertEquals(1, twilio.sent().size());
        assertEquals("Order 42 received", twilio.sent().get(0).body().orElseThrow());
        assertEquals(twilio.sent().get(0).sid(), r.sid().orElseThrow().value());
        assertEquals(MessageStatus.QUEUED, r.twilioStatus().orElseThrow());
        assertEquals(1, r.attempts());
        assertEquals(List.of("enqueued", "attempt", "accepted"), r.history().stream().map(OutboxEvent::kind).toList());
        assertEquals("worker-a", r.history().get(1).worker().orElseThrow());
        assertEquals(r, outbox.stateBySid(r.sid().orElseThrow()).orElseThrow());
        assertEquals(1L, outbox.counts("orders").get(OutboxState.ACCEPTED));
        assertEquals(0L, outbox.counts("other").get(OutboxState.ACCEPTED));
    }

    @Test
    void enqueueWithTheSameKeyAddsNothing() throws Exception {
        OutboxMessage m = OutboxMessage.of("sms", Message.text("+14155550101", "once"), "same");
        assertTrue(outbox.enqueue(m));
        assertFalse(outbox.enqueue(m));
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            int added = outbox.enqueueAll(c, List.of(m,
                    OutboxMessage.of("sms", Message.text("+14155550102", "new"), "other"),
                    OutboxMessage.of("sms", Message.text("+14155550103", "no key"))));
            c.commit();
            assertEquals(2, added);
        }
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.counts().get(OutboxState.ACCEPTED) == 3);
        assertEquals(1, twilio.sentTo(org.twiliochannels.core.Address.parse("+14155550101")).size());
        assertEquals(3, twilio.sent().size());
    }

    @Test
    void everyFieldOfTheMessageReachesTwilio() {
        Message m = Message.builder().to("+14155550101").body("see attached")
                .mediaUrl(URI.create("https://example.com/a.png"))
                .statusCallback(URI.create("https://example.com/status"))
                .validityPeriod(Duration.ofMinutes(10)).build();
        outbox.enqueue(OutboxMessage.of("sms", m, "media"));
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("media").orElseThrow().state() == OutboxState.ACCEPTED);
        var sent = twilio.sent().get(0);
        assertEquals(List.of("https://example.com/a.png"), sent.mediaUrls());
        assertEquals("see attached", sent.body().orElseThrow());
    }

    @Test
    void rejectionIsRecordedWithTwiliosCode() {
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+15005550001", "to an invalid number"), "bad"));
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("bad").orElseThrow().state() == OutboxState.REJECTED);
        OutboxRecord r = outbox.state("bad").orElseThrow();
        assertEquals(21211, r.errorCode().orElseThrow());
        assertTrue(r.sid().isEmpty());
        assertEquals("rejected", r.history().get(r.history().size() - 1).kind());
    }

    @Test
    void expiredLeaseFoundInTwiliosLogIsAcceptedWithoutSendingAgain() throws Exception {
        Message m = Message.text("+14155550101", "created, answer lost");
        outbox.enqueue(OutboxMessage.of("sms", m, "lost"));
        // a worker recorded its attempt, Twilio created the message, and the worker died before recording the answer
        Receipt created = account.channel("sms").send(m);
        markSending("lost", clock.instant().minusSeconds(1), clock.instant().plusSeconds(2));

        worker = outbox.startWorker(account, settings);
        Thread.sleep(300); // several polls: the lease has not expired by the outbox's clock
        assertEquals(OutboxState.SENDING, outbox.state("lost").orElseThrow().state());

        clock.advance(Duration.ofSeconds(3));
        await(() -> outbox.state("lost").orElseThrow().state() == OutboxState.ACCEPTED);
        OutboxRecord r = outbox.state("lost").orElseThrow();
        assertEquals(created.sid(), r.sid().orElseThrow());
        assertEquals(1, twilio.sent().size(), "settled from the log, not sent again");
        assertEquals("settled-found", r.history().get(r.history().size() - 1).kind());
    }

    @Test
    void expiredLeaseAbsentFromTwiliosLogIsSentOnce() throws Exception {
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550101", "never reached Twilio"), "absent"));
        markSending("absent", clock.instant().minusSeconds(10), clock.instant().minusSeconds(1));

        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("absent").orElseThrow().state() == OutboxState.ACCEPTED);
        OutboxRecord r = outbox.state("absent").orElseThrow();
        assertEquals(1, twilio.sent().size());
        assertEquals(2, r.attempts());
        assertEquals(List.of("enqueued", "settled-absent", "attempt", "accepted"),
                r.history().stream().map(OutboxEvent::kind).toList());
    }

    @Test
    void anOutcomeIsRecordedOnlyWhereTheWorkerStillHoldsTheLease() throws Exception {
        // a sender fast enough that both messages are in flight together and their outcomes are written together
        settings = settings.newBuilder().pacing(PacingSettings.builder()
                .senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 100).build()).build();
        twilio.failNext(Fault.delay(Duration.ofMillis(700)), Fault.delay(Duration.ofMillis(700)));
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550101", "still ours"), "kept"));
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550102", "taken over"), "taken"));
        worker = outbox.startWorker(account, settings);
        await(() -> twilio.createRequests().size() == 2); // both attempts recorded, both answers on their way
        // meanwhile another worker holds "taken" under a lease of its own
        markSending("taken", clock.instant(), clock.instant().plusSeconds(60));

        await(() -> outbox.state("kept").orElseThrow().state() == OutboxState.ACCEPTED);
        await(() -> worker.finishedCount() == 1 && twilio.sent().size() == 2);
        Thread.sleep(200); // the writer has had every chance to record the second outcome
        OutboxRecord taken = outbox.state("taken").orElseThrow();
        assertEquals(OutboxState.SENDING, taken.state(), "the other worker's row is left to it");
        assertTrue(taken.sid().isEmpty());
        assertEquals(List.of("enqueued", "attempt"), taken.history().stream().map(OutboxEvent::kind).toList());
        OutboxRecord kept = outbox.state("kept").orElseThrow();
        assertEquals(List.of("enqueued", "attempt", "accepted"), kept.history().stream().map(OutboxEvent::kind).toList());
        assertEquals(1, worker.finishedCount());
    }

    @Test
    void twiliosRateLimitHalvesTheSendsInFlight() {
        twilio.failNext(Fault.rateLimited(Duration.ZERO)); // answered 429 once, then accepted on the account's retry
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550101", "throttled once"), "slow"));
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("slow").orElseThrow().state() == OutboxState.ACCEPTED);
        await(() -> worker.sendLimit() < 16); // the send's slot is given back just after its outcome is handed over
        assertEquals(8, worker.sendLimit(), "16 halved once after the 429");
        assertEquals(2, twilio.createRequests().size());
    }

    @Test
    void statusCallbacksFromTwilioUpdateTheLedgerOnce() throws Exception {
        WebhookVerifier verifier = WebhookVerifier.builder(twilio.accountSid(), twilio.authToken()).build();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/status";
        server.createContext("/status", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            TwilioWebhook event = verifier.verify(WebhookRequest.ofFormBody(url, body,
                    exchange.getRequestHeaders().getFirst("X-Twilio-Signature")));
            if (outbox.recordStatusCallback((StatusCallback) event)) {
                recorded.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            outbox.enqueue(OutboxMessage.of("sms", Message.builder().to("+14155550101").body("track me")
                    .statusCallback(URI.create(url)).build(), "tracked"));
            worker = outbox.startWorker(account, settings);
            await(() -> outbox.state("tracked").orElseThrow().state() == OutboxState.ACCEPTED);
            org.twiliochannels.core.MessageSid sid = outbox.state("tracked").orElseThrow().sid().orElseThrow();

            twilio.deliver(sid);                                                   // sent, delivered
            twilio.advance(sid, org.twiliochannels.core.MessageStatus.DELIVERED);  // Twilio delivers a callback twice
            twilio.advance(sid, org.twiliochannels.core.MessageStatus.SENT);       // and late, out of order
            assertEquals(2, recorded.get());
            assertEquals(2, duplicates.get());

            OutboxRecord r = outbox.state("tracked").orElseThrow();
            assertEquals(MessageStatus.DELIVERED, r.twilioStatus().orElseThrow());
            assertEquals(List.of("sent", "delivered"), r.history().stream()
                    .filter(e -> e.kind().equals("status")).map(e -> e.detail().orElseThrow()).toList());
            assertEquals(Map.of(MessageStatus.DELIVERED, 1L), outbox.twilioStatusCounts(null));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void callbackThatOvertakesTheAnswerIsAppliedWhenTheSidIsRecorded() throws Exception {
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550101", "fast"), "fast"));
        // Twilio answered, then posted "delivered" before this worker recorded the SID: the callback waits for it
        Receipt created = account.channel("sms").send(Message.text("+14155550101", "fast"));
        assertTrue(outbox.recordStatusCallback(new StatusCallback(created.sid(), MessageStatus.DELIVERED,
                java.util.OptionalInt.empty(), Map.of())));
        markSending("fast", clock.instant().minusSeconds(10), clock.instant().minusSeconds(1));
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("fast").orElseThrow().state() == OutboxState.ACCEPTED);
        assertEquals(MessageStatus.DELIVERED, outbox.state("fast").orElseThrow().twilioStatus().orElseThrow());
    }

    @Test
    void retentionPurgesFinishedMessagesOnly() {
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550101", "old"), "old"));
        outbox.enqueue(OutboxMessage.builder("sms", Message.text("+14155550102", "waiting")).key("waiting")
                .notBefore(clock.instant().plus(Duration.ofDays(60))).build());
        worker = outbox.startWorker(account, settings);
        await(() -> outbox.state("old").orElseThrow().state() == OutboxState.ACCEPTED);
        worker.close();
        worker = null;

        clock.advance(Duration.ofDays(31));
        assertEquals(1, outbox.purgeOlderThan(Duration.ofDays(30)));
        assertTrue(outbox.state("old").isEmpty());
        assertEquals(OutboxState.QUEUED, outbox.state("waiting").orElseThrow().state());
    }

    @Test
    void retentionPurgesInBoundedBatchesWithTheirHistory() throws SQLException {
        for (int i = 0; i < 12; i++) {
            outbox.enqueue(OutboxMessage.of("sms", Message.text("+1415555" + String.format("%04d", i), "old"), "old" + i));
        }
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155559999", "waiting"), "waiting"));
        try (Connection c = dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("UPDATE " + outbox.tablePrefix() + "outbox_message SET state = ?"
                     + " WHERE caller_key LIKE 'old%'")) {
            p.setString(1, OutboxState.ACCEPTED.dbName());
            assertEquals(12, p.executeUpdate());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), outbox.tablePrefix());

        assertEquals(12, store.purge(clock.instant().plusSeconds(1), 5), "three transactions: 5, 5 and 2");
        assertEquals(Map.of(OutboxState.QUEUED, 1L), nonZero(outbox.counts()));
        assertEquals(0, store.purge(clock.instant().plusSeconds(1), 5));
    }

    static Map<OutboxState, Long> nonZero(Map<OutboxState, Long> counts) {
        Map<OutboxState, Long> out = new java.util.EnumMap<>(OutboxState.class);
        counts.forEach((s, n) -> {
            if (n != 0) {
                out.put(s, n);
            }
        });
        return out;
    }

    @Test
    void aPrefixThatIsNotAnIdentifierIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Outbox.builder(dataSource()).tablePrefix("x; drop table"));
        assertEquals("tablePrefix \"x; drop table\" must be lower-case letters, digits and '_', starting with a letter,"
                + " at most 30 characters, e.g. \"twilio_\"", e.getMessage());
    }

    @Test
    void aLeaseShorterThanTheSendDeadlineIsRefused() {
        Outbox shortLease = Outbox.builder(dataSource()).lease(Duration.ofSeconds(2)).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> shortLease.startWorker(account));
        assertEquals("lease 2000 ms must be at least the account's send deadline plus 1 s (4000 ms): a worker still"
                + " sending must never look dead. Raise Outbox.Builder.lease or lower"
                + " TwilioConfig.Builder.sendDeadline.", e.getMessage());
    }

    /** Puts a row in the state a worker that died while sending leaves behind. */
    void markSending(String key, Instant firstAttempt, Instant leaseExpires) throws SQLException {
        try (Connection c = dataSource().getConnection();
             PreparedStatement p = c.prepareStatement("UPDATE " + outbox.tablePrefix() + "outbox_message SET state = 'sending',"
                     + " attempts = 1, lease_owner = 'dead-worker', lease_token = 'gone', first_attempt_at = ?,"
                     + " last_attempt_at = ?, lease_expires_at = ? WHERE caller_key = ?")) {
            p.setTimestamp(1, JdbcOutboxStore.ts(firstAttempt));
            p.setTimestamp(2, JdbcOutboxStore.ts(firstAttempt));
            p.setTimestamp(3, JdbcOutboxStore.ts(leaseExpires));
            p.setString(4, key);
            assertEquals(1, p.executeUpdate());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Waits for {@code condition}; fails with the table's counts after 30 s. */
    void await(BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 30 s; outbox " + outbox.counts() + ", Twilio received "
                        + twilio.sent().size());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
