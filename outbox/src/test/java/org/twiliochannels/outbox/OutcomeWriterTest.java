package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;

/** The outcome writer on its own, on a store fake that records what it is asked to write. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutcomeWriterTest {
    static OutcomeWriter writer(OutboxStore store) {
        return new OutcomeWriter(store, new DatabaseGate("worker-a", Clock.systemUTC()), "worker-a", Clock.systemUTC());
    }

    static Claim claim(long id) {
        return new Claim(id, "sms", Message.text("+14155550101", "hi"), 1, false, 0, Optional.empty(), Optional.empty(),
                "token-" + id);
    }

    static Outcome accepted(long id) {
        return Outcome.accepted(claim(id), EventKind.ACCEPTED, 1, "SM" + String.format("%032d", id),
                MessageStatus.QUEUED, OptionalInt.empty(), Optional.empty(), "queued after 1 request(s)");
    }

    /** Records each batch; writes all but the ids in {@code lost} (another worker holds them). */
    static class Recording extends FakeStore {
        final List<List<Outcome>> batches = new ArrayList<>();
        final List<Outcome> alone = new ArrayList<>();
        final List<List<Claim>> released = new ArrayList<>();
        boolean failBatches;
        int unreachableFor;
        String takenSid;

        @Override
        public synchronized boolean[] writeOutcomes(List<Outcome> outcomes, String worker, java.time.Instant now) {
            batches.add(List.copyOf(outcomes));
            if (unreachableFor > 0) {
                unreachableFor--;
                throw DatabaseGateTest.unreachable();
            }
            if (failBatches) {
                throw new OutboxException("outbox database error: duplicate key", new SQLException("dup", "23505"));
            }
            boolean[] done = new boolean[outcomes.size()];
            for (int i = 0; i < done.length; i++) {
                done[i] = outcomes.get(i).claim().id() != 13;
            }
            return done;
        }

        @Override
        public synchronized Written writeOutcome(Outcome outcome, String worker, java.time.Instant now) {
            alone.add(outcome);
            return outcome instanceof Outcome.Finished f && f.sid().filter(s -> s.equals(takenSid)).isPresent()
                    ? Written.SID_TAKEN : Written.RECORDED;
        }

        @Override
        public synchronized void release(List<Claim> claims, java.time.Instant now) {
            released.add(List.copyOf(claims));
        }
    }

    @Test
    void outcomesWaitingTogetherAreWrittenInOneBatch() throws InterruptedException {
        Recording store = new Recording();
        OutcomeWriter writer = writer(store);
        for (int i = 1; i <= 30; i++) {
            writer.submit(i % 10 == 0 ? new Outcome.Retry(claim(i), 1, Duration.ofSeconds(1), OptionalInt.empty(),
                    "unreachable") : accepted(i));
        }
        writer.start();
        writer.close();
        assertEquals(1, store.batches.size(), "one transaction for everything that was waiting");
        assertEquals(30, store.batches.get(0).size());
        assertEquals(26, writer.finishedCount(), "27 finished outcomes, one of them (13) on a lease lost; retries"
                + " are not finished");
        assertTrue(store.alone.isEmpty());
    }

    @Test
    void aBatchCapsAtFiveHundredOutcomes() throws InterruptedException {
        Recording store = new Recording();
        OutcomeWriter writer = writer(store);
        for (int i = 1; i <= 1200; i++) {
            writer.submit(accepted(1000 + i));
        }
        writer.start();
        writer.close();
        assertEquals(List.of(500, 500, 200), store.batches.stream().map(List::size).toList());
        assertEquals(1200, writer.finishedCount());
    }

    @Test
    void aFailedBatchIsWrittenOneByOneAndATakenSidEndsUnknown() throws InterruptedException {
        Recording store = new Recording();
        store.failBatches = true;
        store.takenSid = "SM" + String.format("%032d", 2);
        OutcomeWriter writer = writer(store);
        writer.submit(accepted(1));
        writer.submit(accepted(2));
        writer.start();
        writer.close();
        assertEquals(1, store.batches.size());
        assertEquals(3, store.alone.size(), "both alone, then the second again as unknown");
        Outcome.Finished unknown = (Outcome.Finished) store.alone.get(2);
        assertEquals(2, unknown.claim().id());
        assertEquals(OutboxState.UNKNOWN, unknown.state());
        assertEquals(Optional.empty(), unknown.sid());
        assertEquals("Twilio's SID " + store.takenSid + " is already recorded for another message of the outbox;"
                + " check both before sending again", unknown.detail());
        assertEquals(2, writer.finishedCount());
    }

    @Test
    void releasedClaimsGoBackTogetherAndLostLeasesWriteNothing() throws InterruptedException {
        Recording store = new Recording();
        OutcomeWriter writer = writer(store);
        writer.submit(new Outcome.Released(claim(1)));
        writer.submit(new Outcome.LeaseLost(claim(2)));
        writer.submit(new Outcome.Released(claim(3)));
        writer.start();
        writer.close();
        assertEquals(List.of(List.of(1L, 3L)), store.released.stream().map(b -> b.stream().map(Claim::id).toList())
                .toList(), "one release for both");
        assertTrue(store.batches.isEmpty());
        assertEquals(0, writer.finishedCount());
    }

    @Test
    void outcomesAreKeptAndWrittenWholeOnceTheDatabaseIsBack() throws Exception {
        Recording store = new Recording();
        store.unreachableFor = 3;
        TestClock clock = new TestClock(java.time.Instant.parse("2026-12-04T10:00:00Z"));
        List<Duration> pauses = new ArrayList<>();
        DatabaseGate gate = new DatabaseGate("worker-a", clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
        OutcomeWriter writer = new OutcomeWriter(store, gate, "worker-a", clock);
        for (int i = 1; i <= 5; i++) {
            writer.submit(accepted(100 + i));
        }
        writer.start();
        writer.close();

        assertEquals(4, store.batches.size(), "three tries while the database was away, then the write");
        for (List<Outcome> b : store.batches) {
            assertEquals(List.of(101L, 102L, 103L, 104L, 105L), b.stream().map(o -> o.claim().id()).toList(),
                    "the same batch, whole, each time");
        }
        assertTrue(store.alone.isEmpty(), "an unreachable database is not a batch to split");
        assertEquals(5, writer.finishedCount());
        assertEquals(List.of(100L, 200L, 400L), pauses.stream().map(Duration::toMillis).toList());
        assertEquals(WorkerHealth.State.RUNNING, gate.health().state());
        assertEquals(1, gate.health().outages());
    }
}
