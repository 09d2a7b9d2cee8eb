package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.testing.FakeTwilio;

/**
 * Sending one claimed message without a database: a store fake records the attempts (and can refuse
 * them, as a lost lease does); the account sends to a fake Twilio on loopback.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendClaimedTest {
    FakeTwilio twilio;
    TwilioAccount account;
    final AtomicBoolean running = new AtomicBoolean(true);
    final Attempts store = new Attempts();

    /** Records each attempt with the requests Twilio had received when it was recorded. */
    static final class Attempts extends FakeStore {
        final List<OutboxStore.Attempt> attempts = new ArrayList<>();
        final List<Integer> requestsBefore = new ArrayList<>();
        FakeTwilio twilio;
        boolean leaseHeld = true;
        int unreachableFor;

        @Override
        public synchronized boolean[] recordAttempts(List<Attempt> batch) {
            requestsBefore.add(twilio.createRequests().size());
            if (unreachableFor > 0) {
                unreachableFor--;
                throw DatabaseGateTest.unreachable();
            }
            attempts.addAll(batch);
            boolean[] done = new boolean[batch.size()];
            java.util.Arrays.fill(done, leaseHeld);
            return done;
        }
    }

    @BeforeEach
    void setUp() {
        twilio = FakeTwilio.start();
        store.twilio = twilio;
        account = TwilioAccount.open(twilio.config().build());
    }

    @AfterEach
    void tearDown() {
        account.close();
        twilio.close();
    }

    final List<Duration> pauses = new ArrayList<>();
    /** Pauses recorded, never waited. */
    final DatabaseGate gate = new DatabaseGate("worker-a", Clock.systemUTC(), pauses::add);

    SendClaimed sendClaimed(TwilioAccount through, int maxAttempts) {
        return sendClaimed(through, maxAttempts, gate);
    }

    SendClaimed sendClaimed(TwilioAccount through, int maxAttempts, DatabaseGate gate) {
        Pacer pacer = new Pacer(PacingSettings.builder().senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 1000)
                .build(), RateBuckets.local(), "AC-test");
        return new SendClaimed(store, gate, through, pacer, maxAttempts, "worker-a", Duration.ofSeconds(60),
                Clock.systemUTC(), running::get);
    }

    @Test
    void nothingIsSentWhileItsAttemptCannotBeRecordedAndItIsSentOnceWhenItCan() {
        store.unreachableFor = 3;
        Outcome.Finished o = assertInstanceOf(Outcome.Finished.class, send(sendClaimed(account, 10),
                claim("+14155550104", false, 0, null)));

        assertEquals(OutboxState.ACCEPTED, o.state());
        assertEquals(List.of(0, 0, 0, 0), store.requestsBefore, "no request before the attempt was on disk");
        assertEquals(1, store.attempts.size());
        assertEquals(1, o.attempt(), "failed writes are not attempts");
        assertEquals(1, twilio.createRequests().size());
        assertEquals(List.of(100L, 200L, 400L), pauses.stream().map(Duration::toMillis).toList());
        assertEquals(WorkerHealth.State.RUNNING, gate.health().state());
    }

    @Test
    void aWorkerStoppingWhileTheDatabaseIsAwayGivesTheMessageBackUnsent() {
        store.unreachableFor = 1;
        Claim c = claim("+14155550105", false, 0, null);
        // the worker is closed while this thread pauses
        SendClaimed s = sendClaimed(account, 10, new DatabaseGate("worker-a", Clock.systemUTC(), d -> running.set(false)));

        assertEquals(new Outcome.Released(c), send(s, c));
        assertEquals(0, twilio.createRequests().size());
        assertTrue(store.attempts.isEmpty());
    }

    static Claim claim(String to, boolean wasSending, int attempts, Instant firstAttempt) {
        return new Claim(7, "sms", Message.text(to, "Hello"), 1, wasSending, attempts, Optional.ofNullable(firstAttempt),
                Optional.ofNullable(firstAttempt).map(t -> t.plusSeconds(5)), "token-7");
    }

    Outcome send(SendClaimed s, Claim c) {
        return s.send(c, System.nanoTime(), s.pace(c));
    }

    @Test
    void theAttemptIsRecordedBeforeTheRequestAndTheAnswerBecomesAnAcceptedOutcome() {
        SendClaimed s = sendClaimed(account, 10);
        Claim c = claim("+14155550101", false, 0, null);
        Outcome.Finished o = assertInstanceOf(Outcome.Finished.class, send(s, c));
        assertEquals(OutboxState.ACCEPTED, o.state());
        assertEquals(EventKind.ACCEPTED, o.event());
        assertEquals(twilio.sent().get(0).sid(), o.sid().orElseThrow());
        assertEquals(MessageStatus.QUEUED, o.status().orElseThrow());
        assertEquals(1, o.attempt());
        assertEquals(1, store.attempts.size());
        OutboxStore.Attempt a = store.attempts.get(0);
        assertEquals(1, a.number());
        assertEquals("worker-a", a.worker());
        assertEquals(Duration.ofSeconds(60), Duration.between(a.at(), a.leaseEnd()), "the lease renewed");
        assertEquals(List.of(0), store.requestsBefore, "no request had reached Twilio when the attempt was recorded");
        assertEquals(1, twilio.createRequests().size());
    }

    @Test
    void aLostLeaseSendsNothing() {
        store.leaseHeld = false;
        Claim c = claim("+14155550101", false, 0, null);
        assertEquals(new Outcome.LeaseLost(c), send(sendClaimed(account, 10), c));
        assertEquals(0, twilio.createRequests().size());
    }

    @Test
    void aDeadWorkersMessageFoundInTwiliosLogIsAcceptedWithoutAnAttemptOrARequest() {
        Instant firstAttempt = Instant.now().minusSeconds(10);
        Receipt created = account.channel("sms").send(Message.text("+14155550102", "Hello"));
        Claim c = claim("+14155550102", true, 1, firstAttempt);
        Outcome.Finished o = assertInstanceOf(Outcome.Finished.class, send(sendClaimed(account, 10), c));
        assertEquals(OutboxState.ACCEPTED, o.state());
        assertEquals(EventKind.SETTLED_FOUND, o.event());
        assertEquals(created.sid().value(), o.sid().orElseThrow());
        assertEquals(1, o.attempt(), "the dead worker's attempt");
        assertTrue(store.attempts.isEmpty());
        assertEquals(1, twilio.createRequests().size(), "only the dead worker's request");
    }

    @Test
    void aDeadWorkersMessageAbsentFromTheLogIsSentAsTheNextAttempt() {
        Claim c = claim("+14155550103", true, 1, Instant.now().minusSeconds(10));
        Outcome.Finished o = assertInstanceOf(Outcome.Finished.class, send(sendClaimed(account, 10), c));
        assertEquals(EventKind.ACCEPTED, o.event());
        assertEquals(2, o.attempt());
        assertTrue(store.attempts.get(0).settledAbsent());
        assertEquals(1, twilio.createRequests().size());
    }

    @Test
    void twiliosRefusalBecomesARejectedOutcomeWithItsCode() {
        Outcome.Finished o = assertInstanceOf(Outcome.Finished.class,
                send(sendClaimed(account, 10), claim("+15005550001", false, 0, null)));
        assertEquals(OutboxState.REJECTED, o.state());
        assertEquals(21211, o.code().orElseThrow());
    }

    @Test
    void notSentIsARetryWithBackoffUntilTheAttemptsRunOut() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (TwilioAccount unreachable = TwilioAccount.open(twilio.config().apiBaseUrl(URI.create("http://127.0.0.1:"
                + port)).retryPolicy(RetryPolicy.builder().maxAttempts(1).build()).build())) {
            Outcome.Retry r = assertInstanceOf(Outcome.Retry.class,
                    send(sendClaimed(unreachable, 3), claim("+14155550104", false, 1, null)));
            assertEquals(2, r.attempt());
            assertEquals(Duration.ofSeconds(2), r.backoff(), "1 s doubled per attempt");
            Outcome.Finished o = assertInstanceOf(Outcome.Finished.class,
                    send(sendClaimed(unreachable, 3), claim("+14155550104", false, 2, null)));
            assertEquals(OutboxState.REJECTED, o.state());
            assertTrue(o.detail().startsWith("gave up after 3 attempts: "), o.detail());
        }
    }

    @Test
    void aStoppingWorkerGivesTheClaimBackBeforeAnyAttempt() {
        running.set(false);
        Claim c = claim("+14155550105", false, 0, null);
        SendClaimed s = sendClaimed(account, 10);
        assertEquals(new Outcome.Released(c), s.send(c, System.nanoTime() + TimeUnit.SECONDS.toNanos(5), s.pace(c)));
        assertTrue(store.attempts.isEmpty());
        assertEquals(0, twilio.createRequests().size());
    }

    /** Local buckets that count the reservations per key and hold the first one until released. */
    static final class CountingBuckets implements RateBuckets {
        final RateBuckets local = RateBuckets.local();
        final java.util.Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.CountDownLatch firstStarted = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public long reserve(String key, long tokens, long capacity, long tokensPerSecond) throws InterruptedException {
            calls.merge(key, 1, Integer::sum);
            firstStarted.countDown();
            release.await();
            return local.reserve(key, tokens, capacity, tokensPerSecond);
        }

        @Override
        public boolean isShared() {
            return true;
        }
    }

    @Test
    void messagesStartingLateAtTheSameMomentTakeFreshTimesInOneReservation() throws Exception {
        CountingBuckets buckets = new CountingBuckets();
        Pacer pacer = new Pacer(PacingSettings.builder().senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 1000)
                .build(), buckets, "AC-test");
        SendClaimed s = new SendClaimed(store, gate, account, pacer, 10, "worker-a", Duration.ofSeconds(60),
                Clock.systemUTC(), running::get);
        long late = System.nanoTime() - 2 * SendClaimed.LATE_NANOS;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(9);
        try {
            List<java.util.concurrent.Future<Outcome>> sends = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                Claim c = claim("+1415555011" + i, false, 0, null);
                sends.add(threads.submit(() -> s.send(c, late, s.pace(c))));
                if (i == 0) {
                    assertTrue(buckets.firstStarted.await(5, TimeUnit.SECONDS));
                }
            }
            Thread.sleep(200); // the other eight are late too, waiting behind the first reservation
            buckets.release.countDown();
            for (java.util.concurrent.Future<Outcome> f : sends) {
                assertEquals(OutboxState.ACCEPTED, assertInstanceOf(Outcome.Finished.class, f.get()).state());
            }
        } finally {
            threads.shutdownNow();
        }
        String sender = "sender:" + FakeTwilio.DEFAULT_SMS_NUMBER.value();
        assertEquals(2, buckets.calls.get(sender), "the first alone, then the eight waiting in one: " + buckets.calls);
        assertEquals(2, buckets.calls.get("account:AC-test"), buckets.calls.toString());
        assertEquals(9, twilio.createRequests().size());
    }
}
