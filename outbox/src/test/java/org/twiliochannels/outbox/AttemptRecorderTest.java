package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;

/** Group commit of attempts, on a store fake that holds its first write until the others are waiting. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttemptRecorderTest {
    static OutboxStore.Attempt attempt(long id) {
        Claim c = new Claim(id, "sms", Message.text("+14155550101", "hi"), 1, false, 0, Optional.empty(),
                Optional.empty(), "token");
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        return new OutboxStore.Attempt(c, 1, false, "worker-a", now, now.plusSeconds(60));
    }

    /** Holds the first write until released; records the ids of each write; id 13's lease is lost. */
    static final class Holding extends FakeStore {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<Long>> writes = new ArrayList<>();
        RuntimeException failure;

        @Override
        public boolean[] recordAttempts(List<Attempt> attempts) {
            synchronized (this) {
                writes.add(attempts.stream().map(a -> a.claim().id()).toList());
            }
            firstStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (failure != null) {
                throw failure;
            }
            boolean[] done = new boolean[attempts.size()];
            for (int i = 0; i < done.length; i++) {
                done[i] = attempts.get(i).claim().id() != 13;
            }
            return done;
        }
    }

    @Test
    void attemptsArrivingDuringAWriteAreWrittenTogetherInTheNext() throws Exception {
        Holding store = new Holding();
        AttemptRecorder recorder = new AttemptRecorder(store);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<Boolean> first = pool.submit(() -> recorder.record(attempt(1)));
            assertTrue(store.firstStarted.await(5, TimeUnit.SECONDS));
            List<Future<Boolean>> rest = new ArrayList<>();
            for (long id = 10; id < 15; id++) {
                long i = id;
                rest.add(pool.submit(() -> recorder.record(attempt(i))));
            }
            Thread.sleep(200); // the five are waiting behind the first write
            assertFalse(first.isDone(), "a caller returns only once its attempt is written");
            store.release.countDown();
            assertTrue(first.get());
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> f : rest) {
                results.add(f.get());
            }
            assertEquals(List.of(true, true, true, false, true), results, "each caller gets its own result");
            assertEquals(2, store.writes.size(), "two statements for six attempts: " + store.writes);
            assertEquals(List.of(1L), store.writes.get(0));
            assertEquals(List.of(10L, 11L, 12L, 13L, 14L), store.writes.get(1).stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedWriteFailsEveryAttemptOfIt() {
        Holding store = new Holding();
        store.release.countDown();
        store.failure = new OutboxException("outbox database error: gone", null);
        AttemptRecorder recorder = new AttemptRecorder(store);
        assertSame(store.failure, assertThrows(OutboxException.class, () -> recorder.record(attempt(1))));
        store.failure = null;
        assertTrue(recorder.record(attempt(2)), "the next write goes ahead");
    }

    @Test
    void underLoadAWriteLingersForTheAttemptsAboutToCome() throws Exception {
        Holding store = new Holding();
        AttemptRecorder recorder = new AttemptRecorder(store, Duration.ofSeconds(2));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            // under load: two attempts waiting behind another's write go together
            Future<Boolean> first = pool.submit(() -> recorder.record(attempt(1)));
            assertTrue(store.firstStarted.await(5, TimeUnit.SECONDS));
            Future<Boolean> second = pool.submit(() -> recorder.record(attempt(2)));
            Future<Boolean> third = pool.submit(() -> recorder.record(attempt(3)));
            Thread.sleep(200);
            store.release.countDown();
            assertTrue(first.get() && second.get() && third.get());
            assertEquals(2, store.writes.size(), store.writes.toString());

            List<Future<Boolean>> next = new ArrayList<>();
            for (long id = 30; id < 34; id++) {
                long i = id;
                next.add(pool.submit(() -> recorder.record(attempt(i))));
                Thread.sleep(50); // arriving one after another, well within the linger
            }
            for (Future<Boolean> f : next) {
                assertTrue(f.get());
            }
            assertEquals(3, store.writes.size(), "the four spread over 150 ms in one statement: " + store.writes);
            assertEquals(List.of(30L, 31L, 32L, 33L), store.writes.get(2).stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }
}
