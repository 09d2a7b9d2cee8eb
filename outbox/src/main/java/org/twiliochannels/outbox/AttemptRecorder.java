package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records attempts with group commit ({@link GroupedCalls}): a sender thread that finds no write in
 * progress writes every attempt waiting at that moment in one statement
 * ({@link OutboxStore#recordAttempts}); threads that arrive meanwhile wait for the next write, which
 * takes all of them. Under load (the previous write took more than one attempt) the writing thread
 * first lingers {@code linger} for the attempts about to come: at 2,000 messages a second and 10 ms
 * that is about 20 per statement and commit instead of 2, each message going at most 10 ms after its
 * paced time. Each caller returns only once its own attempt is committed, so the attempt is on disk
 * before its request; alone, an attempt is written at once. Thread-safe; no thread of its own.
 */
final class AttemptRecorder {
    /** How long a write under load waits for more attempts to join it. */
    static final Duration LINGER = Duration.ofMillis(10);
    /** The most attempts one statement records. */
    static final int MAX_GROUP = 500;

    private final GroupedCalls<OutboxStore.Attempt, Boolean> writes;

    AttemptRecorder(OutboxStore store) {
        this(store, LINGER);
    }

    AttemptRecorder(OutboxStore store, Duration linger) {
        this.writes = new GroupedCalls<>(attempts -> {
            boolean[] recorded = store.recordAttempts(attempts);
            List<Boolean> out = new ArrayList<>(recorded.length);
            for (boolean r : recorded) {
                out.add(r);
            }
            return out;
        }, linger, MAX_GROUP);
    }

    /**
     * Records {@code attempt}, with any others waiting, and returns whether it was recorded (false:
     * the claim's token is no longer on the row).
     *
     * @throws OutboxException when the write failed (then the attempt is not recorded)
     */
    boolean record(OutboxStore.Attempt attempt) {
        try {
            return writes.submit(attempt);
        } catch (InterruptedException e) { // the store's write is not interruptible; kept as before
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an attempt", e);
        }
    }
}
