package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records attempts with group commit: a sender thread that finds no write in progress writes every
 * attempt waiting at that moment in one statement ({@link OutboxStore#recordAttempts}); threads
 * that arrive meanwhile wait for the next write, which takes all of them. Under load (the previous
 * write took more than one attempt) the writing thread first lingers {@code linger} for the
 * attempts about to come: at 2,000 messages a second and 10 ms that is about 20 per statement and
 * commit instead of 2, each message going at most 10 ms after its paced time. Each caller returns
 * only once its own attempt is committed, so the attempt is on disk before its request; alone, an
 * attempt is written at once. Thread-safe; no thread of its own.
 */
final class AttemptRecorder {
    /** How long a write under load waits for more attempts to join it. */
    static final Duration LINGER = Duration.ofMillis(10);
    /** The most attempts one statement records. */
    static final int MAX_GROUP = 500;

    private final OutboxStore store;
    private final long lingerNanos;
    private final Object lock = new Object();
    private List<Pending> waiting = new ArrayList<>();
    private boolean writing;
    private int lastGroup = 1;

    AttemptRecorder(OutboxStore store) {
        this(store, LINGER);
    }

    AttemptRecorder(OutboxStore store, Duration linger) {
        this.store = store;
        this.lingerNanos = linger.toNanos();
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
            if (lastGroup > 1) { // under load: let the attempts about to come join this statement
                long end = System.nanoTime() + lingerNanos;
                for (long left = lingerNanos; left > 0 && waiting.size() < MAX_GROUP; left = end - System.nanoTime()) {
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            batch = waiting;
            waiting = new ArrayList<>();
            lastGroup = batch.size();
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
