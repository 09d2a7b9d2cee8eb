package org.twiliochannels.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.pacing.AdaptiveConcurrency;
import org.twiliochannels.core.pacing.Pace;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.pacing.RateBuckets;

/**
 * A worker of an {@link Outbox} on this instance, started by {@link Outbox#startWorker}: threads
 * and their lifecycle. A dispatcher thread claims due messages in batches ({@link Claimer}),
 * checks them ({@link ClaimCheck}: consent, quiet hours, frequency caps, duplicates), reserves
 * the send times of those that may go for the whole batch ({@link Pacer}, shared by every instance on
 * PostgreSQL) and schedules each on one of {@link WorkerSettings#concurrency()} sender threads,
 * which sends it ({@link SendClaimed}: settle a dead lease, wait for its time, record the attempt,
 * send) within an {@link AdaptiveConcurrency} limit that halves after Twilio answers 429; a writer
 * thread records the outcomes in batches ({@link OutcomeWriter}). Once an hour it purges finished
 * messages older than the retention.
 *
 * <p>Each unit of work (a claim, a group of attempts, a batch of outcomes) takes its own connection
 * from the pool. When the database cannot be reached (it restarts, the network drops), the worker
 * says so once in its log and in {@link #health()}, claims nothing, sends nothing whose attempt it
 * could not record, keeps the outcomes it holds in memory, and tries again with backoff (100 ms
 * doubling to 2 s) until the database is back; then it goes on where it was. Nothing is lost and
 * nothing sent twice: its leases keep its rows meanwhile, and a row whose lease expired before the
 * database came back is settled from Twilio's log by whichever worker claims it.
 *
 * <p>A worker for many accounts ({@link Outbox#startWorker(org.twiliochannels.core.TwilioAccounts,
 * WorkerSettings)}) claims the rows that name an account round-robin per account, sends each
 * through its own account, and paces each account against its own cap and each of its senders
 * against their rate (buckets keyed by the account).
 *
 * <p>Close it to stop: it claims nothing more, gives back what it has not started and waits for
 * sends in flight. Thread-safe.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final OutboxStore store;
    private final WorkerAccounts accounts;
    private final WorkerSettings settings;
    private final String id;
    private final Duration lease;
    private final Clock clock;
    private final Claimer claimer;
    private final DatabaseGate gate;
    private final AccountPacers pacer;
    private final SendClaimed sender;
    private final OutcomeWriter writer;
    private final AdaptiveConcurrency limit;
    private final ScheduledThreadPoolExecutor senders;
    private final Semaphore permits;
    private final Object wake = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread dispatcher;
    private AutoCloseable subscription = () -> { };
    private volatile boolean running = true;
    private long horizon = System.nanoTime();
    private Instant lastPurge = Instant.MIN;

    private final ClaimCheck check;

    OutboxWorker(OutboxStore store, WorkerAccounts accounts, WorkerSettings settings, String id, Duration lease,
                 Clock clock, SendRules rules) {
        this.store = store;
        this.accounts = accounts;
        this.settings = settings;
        this.id = id;
        this.lease = lease;
        this.clock = clock;
        this.claimer = new Claimer(store, id, lease, clock, accounts.scope());
        this.gate = new DatabaseGate(id, clock);
        RateBuckets buckets = store.rateBuckets(); // fails here when the database is unreachable
        this.pacer = accounts instanceof WorkerAccounts.One one
                ? AccountPacers.single(new Pacer(settings.pacing(), buckets,
                        one.account().config().credentials().accountSid().value()))
                : AccountPacers.perAccount(sid -> new Pacer(settings.pacing(), buckets, sid));
        this.sender = new SendClaimed(store, gate, accounts, pacer, settings.maxAttempts(), id, lease, clock,
                () -> running);
        this.writer = new OutcomeWriter(store, gate, id, clock);
        this.check = new ClaimCheck(store, rules, sender::consentKey, id, clock);
        this.limit = new AdaptiveConcurrency(settings.concurrency());
        this.permits = new Semaphore(settings.prefetch());
        AtomicInteger n = new AtomicInteger();
        this.senders = new ScheduledThreadPoolExecutor(settings.concurrency(), r -> {
            Thread t = new Thread(r, "twilio-outbox-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatch, "twilio-outbox-dispatch");
        this.dispatcher.setDaemon(true);
    }

    void start() {
        subscription = accounts.onThrottled(limit::throttled);
        writer.start();
        dispatcher.start();
    }

    /** This worker's id, as recorded in leases and history. */
    public String id() {
        return id;
    }

    /** The settings it runs with. */
    public WorkerSettings settings() {
        return settings;
    }

    /** How many messages this worker brought to an outcome (its share only; the table has the whole). */
    public long finishedCount() {
        return writer.finishedCount();
    }

    /**
     * What this worker is doing now: running; waiting for its database (since when, the last error,
     * how many outages so far), claiming nothing meanwhile; or stopped. For health checks and gauges.
     */
    public WorkerHealth health() {
        return gate.health();
    }

    /** The limit on sends in flight now: {@link WorkerSettings#concurrency()}, less for a while after 429s. */
    int sendLimit() {
        return limit.limit();
    }

    private void dispatch() {
        int prefetch = settings.prefetch();
        int failures = 0;
        while (running) {
            try {
                purgeIfDue();
                // claim in batches, not one by one as threads free up: each claim and each pacing
                // reservation is a transaction, shared by every instance
                int wanted = Math.max(1, Math.min(settings.batchSize(), prefetch / 2));
                // and never further ahead of the pace than half a lease: a claim waiting that long would expire
                boolean farAhead = horizon - System.nanoTime() > lease.toNanos() / 2;
                if ((permits.availablePermits() < wanted || farAhead) && inFlight.get() > 0) {
                    synchronized (wake) {
                        wake.wait(5);
                    }
                    continue;
                }
                int free = permits.availablePermits();
                if (free == 0) {
                    continue;
                }
                List<Claim> claimed = claimer.claim(Math.min(free, settings.batchSize()));
                gate.reachable();
                failures = 0;
                if (claimed.isEmpty()) {
                    idle();
                    continue;
                }
                List<Claim> batch = check.admit(claimed); // opt-outs, quiet hours, caps, duplicates: no request
                if (!batch.isEmpty()) {
                    schedule(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (DatabaseGate.isUnreachable(e)) {
                    try {
                        gate.pause(e, ++failures, () -> running); // logged once per outage; no claim meanwhile
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                LOG.warn("outbox worker {}: {}; trying again in {} ms", id, e.getMessage(),
                        settings.pollInterval().toMillis());
                idle();
            }
        }
    }

    /** Reserves the batch's send times at once and schedules each message at its own. */
    private void schedule(List<Claim> batch) throws InterruptedException {
        List<Pace> paces = new ArrayList<>(batch.size());
        for (Claim c : batch) {
            paces.add(sender.pace(c));
        }
        long[] planned;
        try {
            planned = gate.call(() -> pacer.reserve(paces), () -> running);
        } catch (RuntimeException e) {
            giveBack(batch, e);
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            Claim c = batch.get(i);
            Pace pace = paces.get(i);
            long at = planned[i];
            horizon = Math.max(horizon, at);
            permits.acquire();
            inFlight.incrementAndGet();
            senders.schedule(() -> run(c, at, pace), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Gives back a batch that will not be scheduled; when that fails too, its leases expire. */
    private void giveBack(List<Claim> batch, RuntimeException cause) {
        try {
            claimer.release(batch);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void run(Claim c, long at, Pace pace) {
        limit.acquire();
        try {
            writer.submit(sender.send(c, at, pace));
        } catch (RuntimeException e) {
            LOG.warn("outbox message {}: {} while handling it; its lease will expire and another worker will take it"
                    + " over", c.id(), e.toString());
        } finally {
            limit.release();
            inFlight.decrementAndGet();
            permits.release();
        }
    }

    private void idle() {
        synchronized (wake) {
            if (running) {
                try {
                    wake.wait(Math.max(1, settings.pollInterval().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void purgeIfDue() {
        Duration retention = settings.retention();
        if (retention.isZero()) {
            return;
        }
        Instant now = clock.instant();
        if (lastPurge.isBefore(now.minus(PURGE_EVERY))) {
            lastPurge = now;
            int n = store.purge(now.minus(retention));
            if (n > 0) {
                LOG.info("outbox: purged {} finished message(s) older than {}", n, retention);
            }
        }
    }

    /**
     * Stops claiming, gives back claimed messages whose attempt has not started, and waits for
     * sends in flight (at most the account's send deadline, for many accounts the lease, plus a few seconds). The account stays
     * open. Idempotent.
     */
    @Override
    public void close() {
        if (!running && !dispatcher.isAlive()) {
            return;
        }
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(10));
            senders.shutdown();
            long waitMs = accounts.closeWait().toMillis();
            if (!senders.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("outbox worker {}: {} send(s) still running after {} ms; their leases will expire and"
                        + " another worker will settle them", id, inFlight.get(), waitMs);
            }
            writer.close();
            subscription.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("outbox worker {}: {} while stopping", id, e.toString());
        } finally {
            gate.stopped();
        }
    }

    @Override
    public String toString() {
        return "OutboxWorker[" + id + ", finished=" + finishedCount() + ", running=" + running + "]";
    }
}
