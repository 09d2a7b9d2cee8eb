package org.twiliochannels.outbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing outcomes: a thread of its own takes the outcomes the sender threads hand it and records
 * all that are waiting in one transaction ({@link OutboxStore#writeOutcomes}), so that sending
 * threads never wait for a commit. When a batch fails (one outcome's SID is already recorded for
 * another message, say), its outcomes are written one by one, and one whose SID is taken ends as
 * unknown. While the database cannot be reached, the batch stays in memory and is written again
 * after a pause ({@link DatabaseGate}): the lease keeps the rows this worker's, and a row whose lease
 * expired meanwhile and was claimed by another worker is settled by that worker from Twilio's log
 * (the write then finds the token gone), never sent again blindly. An outcome lost with the process
 * is recovered like any crash: its lease expires and the next worker settles it from Twilio's log.
 */
final class OutcomeWriter {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    /** The most outcomes one transaction records. */
    static final int MAX_BATCH = 500;

    private final OutboxStore store;
    private final DatabaseGate gate;
    private final String worker;
    private final Clock clock;
    private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    private final AtomicLong finished = new AtomicLong();
    private final Thread thread;
    private volatile boolean open = true;

    OutcomeWriter(OutboxStore store, DatabaseGate gate, String worker, Clock clock) {
        this.store = store;
        this.gate = gate;
        this.worker = worker;
        this.clock = clock;
        this.thread = new Thread(this::run, "twilio-outbox-outcomes");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands an outcome over; returns at once. */
    void submit(Outcome outcome) {
        queue.add(outcome);
    }

    /** How many messages this writer brought to a final outcome (accepted, rejected, unknown). */
    long finishedCount() {
        return finished.get();
    }

    /**
     * Writes what is waiting, then stops: waits at most 30 s (the database may be away), then gives
     * up what is still unwritten (its leases expire and the next worker settles it from Twilio's log).
     */
    void close() throws InterruptedException {
        open = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private void run() {
        List<Outcome> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Outcome first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                gate.call(() -> {
                    write(batch);
                    return null;
                }, () -> !Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                int lost = batch.size() + queue.size();
                if (lost > 0) {
                    LOG.warn("outbox worker {}: stopped with {} outcome(s) not recorded (the database could not be"
                            + " reached); their leases will expire and the next worker settles them from Twilio's log",
                            worker, lost);
                }
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox worker {}: {} outcome(s) not recorded ({}); their leases will expire and another"
                        + " worker will settle them from Twilio's log", worker, batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    /** Records one batch: releases, lost leases (nothing to write), then the outcomes in one transaction. */
    void write(List<Outcome> batch) {
        List<Claim> released = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Outcome o : batch) {
            if (o instanceof Outcome.Released r) {
                released.add(r.claim());
            } else if (o instanceof Outcome.LeaseLost l) {
                LOG.warn("outbox message {}: lease lost before the attempt (another worker has it); not sent here",
                        l.claim().id());
            } else {
                outcomes.add(o);
            }
        }
        if (!released.isEmpty()) {
            store.release(released, clock.instant());
        }
        if (outcomes.isEmpty()) {
            return;
        }
        boolean[] done;
        try {
            done = store.writeOutcomes(outcomes, worker, clock.instant());
        } catch (OutboxException e) {
            if (DatabaseGate.isUnreachable(e)) {
                throw e; // written again, whole, once the database is back
            }
            for (Outcome o : outcomes) {
                writeAlone(o);
            }
            return;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            counted(outcomes.get(i), done[i]);
        }
    }

    private void writeAlone(Outcome o) {
        OutboxStore.Written w = store.writeOutcome(o, worker, clock.instant());
        if (w == OutboxStore.Written.SID_TAKEN && o instanceof Outcome.Finished f) {
            String why = "Twilio's SID " + f.sid().orElse("?") + " is already recorded for another message of the"
                    + " outbox; check both before sending again";
            Outcome unknown = new Outcome.Finished(f.claim(), OutboxState.UNKNOWN, EventKind.UNKNOWN, f.attempt(),
                    Optional.empty(), Optional.empty(), f.code(), Optional.of(why), why);
            w = store.writeOutcome(unknown, worker, clock.instant());
            o = unknown;
        }
        counted(o, w == OutboxStore.Written.RECORDED);
    }

    private void counted(Outcome o, boolean recorded) {
        if (!recorded) {
            LOG.warn("outbox message {}: lease lost before the outcome ({}) could be recorded; the worker holding it"
                    + " settles it from Twilio's log", o.claim().id(),
                    o instanceof Outcome.Finished f ? f.state().dbName() : "retry");
        } else if (o instanceof Outcome.Finished) {
            finished.incrementAndGet();
        }
    }
}
