package org.twiliochannels.outbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Records attempts with group commit: a sender thread that finds no write in progress writes every
 * attempt waiting at that moment in one statement ({@link OutboxStore#recordAttempts}); threads
 * that arrive meanwhile wait for the next write, which takes all of them. Each caller returns only
 * once its own attempt is committed, so the attempt is on disk before its request; alone, an
 * attempt is written at once. Thread-safe; no thread of its own.
 */
final class AttemptRecorder {
    private final OutboxStore store;
    private final Object lock = new Object();
    private List<Pending> waiting = new ArrayList<>();
    private boolean writing;

    AttemptRecorder(OutboxStore store) {
        this.store = store;
    }

    /** One caller's attempt and, once written, its result. */
    private static final class Pending {
        final OutboxStore.Attempt attempt;
        boolean done;
        boolean recorded;
        RuntimeException failure;

        Pending(OutboxStore.Attempt attempt) {
            this.attempt = attempt;
        }
    }

    /**
     * Records {@code attempt}, with any others waiting, and returns whether it was recorded (false:
     * the claim's token is no longer on the row).
     *
     * @throws OutboxException when the write failed (then the attempt is not recorded)
     */
    boolean record(OutboxStore.Attempt attempt) {
        Pending me = new Pending(attempt);
        List<Pending> batch;
        synchronized (lock) {
            waiting.add(me);
            boolean interrupted = false;
            while (writing && !me.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (me.done) {
                return result(me);
            }
            writing = true;
            batch = waiting;
            waiting = new ArrayList<>();
        }
        try {
            boolean[] recorded = store.recordAttempts(batch.stream().map(p -> p.attempt).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).recorded = recorded[i];
            }
        } catch (RuntimeException e) {
            for (Pending p : batch) {
                p.failure = e;
            }
        } finally {
            synchronized (lock) {
                for (Pending p : batch) {
                    p.done = true;
                }
                writing = false;
                lock.notifyAll();
            }
        }
        return result(me);
    }

    private static boolean result(Pending p) {
        if (p.failure != null) {
            throw p.failure;
        }
        return p.recorded;
    }
}
