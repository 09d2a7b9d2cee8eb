package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;

/**
 * A worker of an {@link Outbox} on this instance, started by {@link Outbox#startWorker}. One
 * dispatcher thread claims due messages (and messages whose lease expired) in batches with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, reserves their send times from the shared pacing
 * buckets, and hands them to {@code concurrency} sender threads. For each message a sender thread:
 * <ol>
 *   <li>if a previous worker had started sending it and died, settles it from Twilio's message log
 *       first ({@link TwilioAccount#settle}): found, it is accepted with that SID; unknown, it ends
 *       as {@link OutboxState#UNKNOWN}; absent, it goes on;</li>
 *   <li>waits for its send time, then records the attempt (worker, time, attempt number, a renewed
 *       lease) in the table, only if it still holds the lease;</li>
 *   <li>sends it through the account's channel (whose retry policy settles lost answers inline,
 *       and whose listeners see every attempt), then records the outcome.</li>
 * </ol>
 * Close it to stop: it claims nothing more, gives back what it has not started and waits for sends
 * in flight. Thread-safe.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final Outbox outbox;
    private final TwilioAccount account;
    private final ScheduledThreadPoolExecutor senders;
    private final Semaphore permits;
    private final int prefetch;
    private final Map<String, ChannelPolicy> policies = new ConcurrentHashMap<>();
    private final Object wake = new Object();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread dispatcher;
    private final Thread writer;
    private final java.util.concurrent.LinkedBlockingQueue<Outcome> outcomes = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private volatile boolean writing = true;
    private long horizon = System.nanoTime();
    private Instant lastPurge = Instant.MIN;

    OutboxWorker(Outbox outbox, TwilioAccount account) {
        this.outbox = outbox;
        this.account = account;
        // messages claimed and not finished: sends in flight, plus those waiting for their paced time
        this.prefetch = outbox.concurrency * 4;
        this.permits = new Semaphore(prefetch);
        AtomicInteger n = new AtomicInteger();
        this.senders = new ScheduledThreadPoolExecutor(outbox.concurrency, r -> {
            Thread t = new Thread(r, "twilio-outbox-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatch, "twilio-outbox-dispatch");
        this.dispatcher.setDaemon(true);
        this.writer = new Thread(this::write, "twilio-outbox-outcomes");
        this.writer.setDaemon(true);
    }

    void start() {
        outbox.pacing(); // fail here, not in the loop, when the database cannot be reached
        writer.start();
        dispatcher.start();
    }

    /** This worker's id, as recorded in leases and history. */
    public String id() {
        return outbox.workerId;
    }

    /** How many messages this worker brought to an outcome (its share only; the table has the whole). */
    public long finishedCount() {
        return finished.get();
    }

    /** A message this worker holds under a lease. */
    private record Claimed(long id, String channel, Message message, int segments, boolean wasSending,
                           int attempts, Instant firstAttemptAt, Instant leaseExpiredAt, String token) {}

    /** Which bucket paces a message, and its rate. */
    private record Pace(String senderKey, double rate) {}

    /** How late a message may start after its paced time before it takes fresh tokens (a stalled JVM must not burst). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private void dispatch() {
        while (running) {
            try {
                purgeIfDue();
                // claim in batches, not one by one as threads free up: each claim and each pacing
                // reservation is a transaction, shared by every instance
                int wanted = Math.max(1, Math.min(outbox.batchSize, prefetch / 2));
                // and never further ahead of the pace than half a lease: a claim waiting that long would expire
                boolean farAhead = horizon - System.nanoTime() > outbox.lease.toNanos() / 2;
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
                List<Claimed> batch = claim(Math.min(free, outbox.batchSize));
                if (batch.isEmpty()) {
                    idle();
                    continue;
                }
                Pace[] paces = new Pace[batch.size()];
                long[] planned = plan(batch, paces);
                for (long p : planned) {
                    horizon = Math.max(horizon, p);
                }
                for (int i = 0; i < batch.size(); i++) {
                    Claimed c = batch.get(i);
                    long at = planned[i];
                    Pace pace = paces[i];
                    permits.acquire();
                    inFlight.incrementAndGet();
                    long delay = Math.max(0, at - System.nanoTime());
                    senders.schedule(() -> {
                        try {
                            process(c, at, pace);
                        } catch (RuntimeException e) {
                            LOG.warn("outbox message {}: {} while handling it; its lease will expire and another"
                                    + " worker will take it over", c.id(), e.toString());
                        } finally {
                            inFlight.decrementAndGet();
                            permits.release();
                        }
                    }, delay, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox worker {}: {}; trying again in {} ms", outbox.workerId, e.getMessage(),
                        outbox.pollInterval.toMillis());
                idle();
            }
        }
    }

    private void idle() {
        synchronized (wake) {
            if (running) {
                try {
                    wake.wait(Math.max(1, outbox.pollInterval.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void purgeIfDue() {
        if (outbox.retention.isZero()) {
            return;
        }
        Instant now = outbox.clock.instant();
        if (lastPurge.isBefore(now.minus(PURGE_EVERY))) {
            lastPurge = now;
            int n = outbox.purgeOlderThan(outbox.retention);
            if (n > 0) {
                LOG.info("outbox: purged {} finished message(s) older than {}", n, outbox.retention);
            }
        }
    }

    /** Claims up to {@code limit} due messages in one short transaction. */
    private List<Claimed> claim(int limit) {
        Instant now = outbox.clock.instant();
        Timestamp nowTs = Outbox.ts(now);
        Timestamp leaseEnd = Outbox.ts(now.plus(outbox.lease));
        String token = UUID.randomUUID().toString();
        return outbox.inTransaction(c -> {
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, channel, content, segments, state, attempts,"
                    + " first_attempt_at, lease_expires_at FROM " + outbox.messages
                    + " WHERE (state = 'queued' AND next_attempt_at <= ?)"
                    + " OR (state IN ('claimed', 'sending') AND lease_expires_at <= ?)"
                    + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                p.setTimestamp(1, nowTs);
                p.setTimestamp(2, nowTs);
                p.setInt(3, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        Message m;
                        try {
                            m = MessageCodec.read(rs.getString(3));
                        } catch (RuntimeException e) {
                            LOG.warn("outbox message {} cannot be read ({}); it is skipped", id, e.getMessage());
                            continue;
                        }
                        Timestamp first = rs.getTimestamp(7);
                        Timestamp expired = rs.getTimestamp(8);
                        out.add(new Claimed(id, rs.getString(2), m, rs.getInt(4), "sending".equals(rs.getString(5)),
                                rs.getInt(6), first == null ? null : first.toInstant(),
                                expired == null ? null : expired.toInstant(), token));
                    }
                }
            }
            if (out.isEmpty()) {
                return out;
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE " + outbox.messages + " SET state = CASE WHEN"
                    + " state = 'sending' THEN 'sending' ELSE 'claimed' END, lease_owner = ?, lease_token = ?,"
                    + " lease_expires_at = ?, updated_at = ? WHERE id = ?")) {
                for (Claimed cl : out) {
                    u.setString(1, outbox.workerId);
                    u.setString(2, token);
                    u.setTimestamp(3, leaseEnd);
                    u.setTimestamp(4, nowTs);
                    u.setLong(5, cl.id());
                    u.addBatch();
                }
                u.executeBatch();
            }
            return out;
        });
    }

    /**
     * Reserves each message's segments from its sender's bucket and the batch's from the account's,
     * and returns when each message may go ({@link System#nanoTime()} scale).
     */
    private long[] plan(List<Claimed> batch, Pace[] paces) throws InterruptedException {
        long now = System.nanoTime();
        long[] at = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Claimed c = batch.get(i);
            String key;
            double rate;
            try {
                Sender sender = policy(c.channel()).sender(c.message());
                key = sender.address().map(Address::value).orElseGet(() -> sender.messagingService().orElseThrow().value());
                rate = outbox.senderRate(key, sender.address().map(OutboxWorker::defaultRate).orElse(1.0));
            } catch (RuntimeException e) {
                key = "channel:" + c.channel(); // sent nowhere yet: the send reports the problem
                rate = 1;
            }
            paces[i] = new Pace(key, rate);
            at[i] = now;
        }
        Pacing pacing = outbox.pacing();
        // each sender's messages, in as few reservations as its bucket's capacity allows
        Map<String, List<Integer>> bySender = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            bySender.computeIfAbsent(paces[i].senderKey(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : bySender.values()) {
            int[] segments = new int[group.size()];
            for (int k = 0; k < segments.length; k++) {
                segments[k] = batch.get(group.get(k)).segments();
            }
            Pace pace = paces[group.get(0)];
            long[] times = pacing.schedule("sender:" + pace.senderKey(), pace.rate(), segments);
            for (int k = 0; k < segments.length; k++) {
                at[group.get(k)] = times[k];
            }
        }
        // the account's cap, far above any one sender's rate, for the batch at once
        long total = 0;
        for (Claimed c : batch) {
            total += c.segments();
        }
        long last = pacing.reserve("account:" + account.config().credentials().accountSid().value(), outbox.accountCap,
                total);
        long cumulative = 0;
        for (int i = 0; i < batch.size(); i++) {
            cumulative += batch.get(i).segments();
            long due = last - (long) ((total - cumulative) / outbox.accountCap * 1e9);
            at[i] = Math.max(at[i], Math.max(now, due));
        }
        return at;
    }

    /** Fresh tokens for a message that starts late; returns when it may go. */
    private long repace(Claimed c, Pace pace) {
        try {
            Pacing pacing = outbox.pacing();
            long sender = pacing.reserve("sender:" + pace.senderKey(), pace.rate(), c.segments());
            long acct = pacing.reserve("account:" + account.config().credentials().accountSid().value(),
                    outbox.accountCap, c.segments());
            return Math.max(sender, acct);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.nanoTime();
        }
    }

    static double defaultRate(Address sender) {
        if (sender instanceof WhatsAppAddress || sender instanceof PhoneNumber) {
            return SenderRate.forSender(sender).segmentsPerSecond();
        }
        return 1;
    }

    private ChannelPolicy policy(String channel) {
        return policies.computeIfAbsent(channel, id -> org.twiliochannels.core.Channels
                .provider(id, TwilioAccount.class.getClassLoader()).policy(account.config()));
    }

    private void process(Claimed c, long plannedNanos, Pace pace) {
        long sendAtNanos = plannedNanos;
        boolean settledAbsent = false;
        if (c.wasSending()) {
            Optional<Boolean> goOn = settle(c);
            if (goOn.isEmpty() || !goOn.get()) {
                return;
            }
            settledAbsent = true;
        }
        for (int late = 0; running; ) {
            long now = System.nanoTime();
            long left = sendAtNanos - now;
            if (left <= 0) {
                if (-left <= LATE_NANOS || late++ >= 3) {
                    break;
                }
                // this thread ran late (a busy machine): the tokens it had are spent, take fresh ones
                sendAtNanos = repace(c, pace);
                continue;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        if (!running) {
            release(c);
            return;
        }
        int attempt = c.attempts() + 1;
        if (!recordAttempt(c, attempt, settledAbsent)) {
            LOG.warn("outbox message {}: lease lost before the attempt (another worker has it); not sent here", c.id());
            return;
        }
        try {
            Receipt r = account.channel(c.channel()).send(c.message());
            finish(c, OutboxState.ACCEPTED, r.sid().value(), r.status(), OptionalInt.empty(), null, "accepted",
                    attempt, r.status().twilioName() + " after " + r.attempts() + " request(s)"
                            + (r.settled() ? ", settled from Twilio's message log" : ""));
        } catch (DeliveryUnknownException e) {
            OptionalInt code = e.error().map(err -> err.code()).orElse(OptionalInt.empty());
            finish(c, OutboxState.UNKNOWN, null, null, code, e.getMessage(), "unknown", attempt, e.getMessage());
        } catch (TwilioRejectedException e) {
            TwilioErrorCode.Kind kind = e.error().kind();
            if (kind == TwilioErrorCode.Kind.TRANSIENT || kind == TwilioErrorCode.Kind.FATAL) {
                retry(c, attempt, e.error().code(), e.getMessage(), false);
            } else {
                finish(c, OutboxState.REJECTED, null, null, e.error().code(), e.getMessage(), "rejected", attempt,
                        e.getMessage());
            }
        } catch (InvalidMessageException e) {
            finish(c, OutboxState.REJECTED, null, null, OptionalInt.empty(), e.getMessage(), "rejected", attempt,
                    e.getMessage());
        } catch (ClientClosedException e) {
            retry(c, attempt, OptionalInt.empty(), e.getMessage(), true);
        } catch (TwilioChannelsException e) {
            if (e.mayHaveBeenSent()) {
                finish(c, OutboxState.UNKNOWN, null, null, OptionalInt.empty(), e.getMessage(), "unknown", attempt,
                        e.getMessage());
            } else {
                retry(c, attempt, OptionalInt.empty(), e.getMessage(), false);
            }
        } catch (RuntimeException e) {
            retry(c, attempt, OptionalInt.empty(), e.toString(), false);
        }
    }

    /**
     * Settles a message whose previous worker died while sending it.
     *
     * @return true to send it (absent from the log), false when settled here, empty when lost
     */
    private Optional<Boolean> settle(Claimed c) {
        Instant notBefore = c.firstAttemptAt() != null ? c.firstAttemptAt() : outbox.clock.instant();
        Instant notAfter = c.leaseExpiredAt() != null && c.leaseExpiredAt().isAfter(notBefore)
                ? c.leaseExpiredAt() : notBefore;
        Settlement s;
        try {
            ChannelPolicy policy = policy(c.channel());
            s = account.settle(SettleQuery.of(c.message(), policy.recipient(c.message()),
                    policy.sender(c.message()).address(), notBefore, notAfter));
        } catch (RuntimeException e) {
            s = new Settlement.Unknown("the settle step failed: " + e.getMessage(), List.of());
        }
        if (s instanceof Settlement.Found f) {
            MessageState st = f.state();
            finish(c, OutboxState.ACCEPTED, st.sid().value(), st.status(), st.errorCode(),
                    st.errorMessage().orElse(null), "settled-found", c.attempts(),
                    "found in Twilio's message log after the previous worker's lease expired, status "
                            + st.status().twilioName());
            return Optional.of(false);
        }
        if (s instanceof Settlement.Unknown u) {
            finish(c, OutboxState.UNKNOWN, null, null, OptionalInt.empty(), u.reason(), "settled-unknown",
                    c.attempts(), u.reason() + (u.candidates().isEmpty() ? "" : "; candidates " + u.candidates()));
            return Optional.of(false);
        }
        return Optional.of(true);
    }

    private boolean recordAttempt(Claimed c, int attempt, boolean settledAbsent) {
        Instant now = outbox.clock.instant();
        if (!settledAbsent && outbox.dialect() == Dialect.POSTGRESQL) {
            // the common case on the shared database, on every message's path: the lease check, the row's
            // update and the history entry in one statement, atomic on its own (one round trip, no BEGIN/COMMIT)
            return outbox.inOneStatement(conn -> {
                try (PreparedStatement p = conn.prepareStatement("WITH u AS (UPDATE " + outbox.messages
                        + " SET state = 'sending', attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?),"
                        + " last_attempt_at = ?, lease_expires_at = ?, updated_at = ? WHERE id = ? AND lease_token = ?"
                        + " RETURNING id) INSERT INTO " + outbox.events + " (message_id, at, kind, worker, attempt)"
                        + " SELECT id, ?, 'attempt', ?, ? FROM u")) {
                    Timestamp at = Outbox.ts(now);
                    p.setInt(1, attempt);
                    p.setTimestamp(2, at);
                    p.setTimestamp(3, at);
                    p.setTimestamp(4, Outbox.ts(now.plus(outbox.lease)));
                    p.setTimestamp(5, at);
                    p.setLong(6, c.id());
                    p.setString(7, c.token());
                    p.setTimestamp(8, at);
                    p.setString(9, outbox.workerId);
                    p.setInt(10, attempt);
                    return p.executeUpdate() == 1;
                }
            });
        }
        return outbox.inTransaction(conn -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE " + outbox.messages + " SET state = 'sending',"
                    + " attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?), last_attempt_at = ?,"
                    + " lease_expires_at = ?, updated_at = ? WHERE id = ? AND lease_token = ?")) {
                p.setInt(1, attempt);
                p.setTimestamp(2, Outbox.ts(now));
                p.setTimestamp(3, Outbox.ts(now));
                p.setTimestamp(4, Outbox.ts(now.plus(outbox.lease)));
                p.setTimestamp(5, Outbox.ts(now));
                p.setLong(6, c.id());
                p.setString(7, c.token());
                if (p.executeUpdate() != 1) {
                    return false;
                }
            }
            if (settledAbsent) {
                outbox.insertEvent(conn, c.id(), null, now, "settled-absent", outbox.workerId, c.attempts(),
                        "not in Twilio's message log after the previous worker's lease expired; sending again", null);
            }
            outbox.insertEvent(conn, c.id(), null, now, "attempt", outbox.workerId, attempt, null, null);
            return true;
        });
    }

    private void retry(Claimed c, int attempt, OptionalInt code, String error, boolean now) {
        if (attempt >= outbox.maxAttempts && !now) {
            finish(c, OutboxState.REJECTED, null, null, code, error, "rejected", attempt,
                    "gave up after " + attempt + " attempts: " + error);
            return;
        }
        Instant at = outbox.clock.instant();
        Duration backoff = now ? Duration.ZERO
                : Duration.ofSeconds(1L << Math.min(attempt - 1, 20)).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF : Duration.ofSeconds(1L << Math.min(attempt - 1, 20));
        boolean done = outbox.inTransaction(conn -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE " + outbox.messages + " SET state = 'queued',"
                    + " next_attempt_at = ?, error_code = ?, error_message = ?, lease_owner = NULL, lease_token = NULL,"
                    + " lease_expires_at = NULL, updated_at = ? WHERE id = ? AND lease_token = ?")) {
                p.setTimestamp(1, Outbox.ts(at.plus(backoff)));
                setInt(p, 2, code);
                Outbox.setNullable(p, 3, Outbox.truncate(error));
                p.setTimestamp(4, Outbox.ts(at));
                p.setLong(5, c.id());
                p.setString(6, c.token());
                if (p.executeUpdate() != 1) {
                    return false;
                }
            }
            outbox.insertEvent(conn, c.id(), null, at, "retry", outbox.workerId, attempt,
                    "not sent; again in " + backoff.toMillis() + " ms: " + error, null);
            return true;
        });
        if (!done) {
            LOG.warn("outbox message {}: lease lost before its retry could be recorded", c.id());
        }
    }

    /** Gives back a claimed message this worker will not send (it is closing). */
    private void release(Claimed c) {
        Instant now = outbox.clock.instant();
        outbox.inTransaction(conn -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE " + outbox.messages + " SET state = CASE WHEN"
                    + " state = 'claimed' THEN 'queued' ELSE state END, lease_owner = NULL, lease_token = NULL,"
                    + " lease_expires_at = CASE WHEN state = 'claimed' THEN NULL ELSE ? END, updated_at = ?"
                    + " WHERE id = ? AND lease_token = ?")) {
                p.setTimestamp(1, Outbox.ts(now));
                p.setTimestamp(2, Outbox.ts(now));
                p.setLong(3, c.id());
                p.setString(4, c.token());
                return p.executeUpdate();
            }
        });
    }

    /** An outcome waiting to be recorded. */
    private record Outcome(Claimed c, OutboxState state, String sid, MessageStatus status, OptionalInt code,
                           String error, String kind, int attempt, String detail) {}

    /**
     * Hands an outcome to the writer thread, which records outcomes in batches (one commit for many
     * messages) so that sending threads do not wait for it. An outcome lost with the process is
     * recovered like any crash: the lease expires and the next worker settles from Twilio's log.
     */
    private void finish(Claimed c, OutboxState state, String sid, MessageStatus status, OptionalInt code,
                        String error, String kind, int attempt, String detail) {
        outcomes.add(new Outcome(c, state, sid, status, code, error, kind, attempt, detail));
    }

    private void write() {
        List<Outcome> batch = new ArrayList<>();
        while (writing || !outcomes.isEmpty()) {
            try {
                Outcome first = outcomes.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, 499);
                writeAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox worker {}: {} outcome(s) not recorded ({}); their leases will expire and another"
                        + " worker will settle them from Twilio's log", outbox.workerId, batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    private void writeAll(List<Outcome> batch) {
        List<Boolean> done;
        try {
            done = outbox.inTransaction(conn -> applyAll(conn, batch));
        } catch (OutboxException e) {
            for (Outcome o : batch) { // one of them failed the batch (e.g. a SID already recorded): one by one
                finishNow(o.c(), o.state(), o.sid(), o.status(), o.code(), o.error(), o.kind(), o.attempt(), o.detail());
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            counted(batch.get(i).c(), batch.get(i).state(), done.get(i));
        }
    }

    private void counted(Claimed c, OutboxState state, boolean done) {
        if (done) {
            finished.incrementAndGet();
        } else {
            LOG.warn("outbox message {}: lease lost before the outcome ({}) could be recorded; the worker holding it"
                    + " settles it from Twilio's log", c.id(), state.dbName());
        }
    }

    private void finishNow(Claimed c, OutboxState state, String sid, MessageStatus status, OptionalInt code,
                           String error, String kind, int attempt, String detail) {
        try {
            finishOnce(c, state, sid, status, code, error, kind, attempt, detail);
        } catch (OutboxException e) {
            if (sid != null && e.getCause() instanceof SQLException sql && Dialect.isDuplicate(sql)) {
                String why = "Twilio's SID " + sid + " is already recorded for another message of the outbox;"
                        + " check both before sending again";
                finishOnce(c, OutboxState.UNKNOWN, null, null, code, why, "unknown", attempt, why);
                return;
            }
            throw e;
        }
    }

    private void finishOnce(Claimed c, OutboxState state, String sid, MessageStatus status, OptionalInt code,
                            String error, String kind, int attempt, String detail) {
        boolean done = outbox.inTransaction(conn -> apply(conn, c, state, sid, status, code, error, kind, attempt, detail));
        counted(c, state, done);
    }

    /**
     * Records outcomes in {@code conn}'s transaction, each only if this worker still holds its lease:
     * the same statements as {@link #apply}, sent as JDBC batches (a few round trips for the whole
     * batch instead of three per message).
     *
     * @return for each outcome, whether it was recorded
     */
    private List<Boolean> applyAll(Connection conn, List<Outcome> batch) throws SQLException {
        Instant now = outbox.clock.instant();
        Timestamp at = Outbox.ts(now);
        int[] updated;
        try (PreparedStatement p = conn.prepareStatement(OUTCOME_SQL.replace("%s", outbox.messages))) {
            for (Outcome o : batch) {
                bindOutcome(p, o.c(), o.state(), o.sid(), o.status(), o.code(), o.error(), at);
                p.addBatch();
            }
            updated = p.executeBatch();
        }
        for (int n : updated) {
            if (n < 0) { // a driver that does not count rows per statement: whether each lease held is unknown
                throw new SQLException("the JDBC driver did not report a row count for each outcome of the batch");
            }
        }
        List<Boolean> done = new ArrayList<>(batch.size());
        List<Outcome> withSid = new ArrayList<>();
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO " + outbox.events + " (message_id, sid, at,"
                + " kind, worker, attempt, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (int i = 0; i < batch.size(); i++) {
                Outcome o = batch.get(i);
                boolean ok = updated[i] == 1;
                done.add(ok);
                if (!ok) {
                    continue;
                }
                p.setLong(1, o.c().id());
                Outbox.setNullable(p, 2, o.sid());
                p.setTimestamp(3, at);
                p.setString(4, o.kind());
                p.setString(5, outbox.workerId);
                p.setInt(6, o.attempt());
                Outbox.setNullable(p, 7, o.detail() == null ? null : Outbox.truncate(o.detail()));
                p.addBatch();
                any = true;
                if (o.sid() != null) {
                    withSid.add(o);
                }
            }
            if (any) {
                p.executeBatch();
            }
        }
        if (!withSid.isEmpty()) {
            // status callbacks that arrived before the SID was recorded (rare): attach them, then apply the furthest
            int[] adopted;
            try (PreparedStatement p = conn.prepareStatement(ADOPT_SQL.replace("%s", outbox.events))) {
                for (Outcome o : withSid) {
                    p.setLong(1, o.c().id());
                    p.setString(2, o.sid());
                    p.addBatch();
                }
                adopted = p.executeBatch();
            }
            for (int i = 0; i < withSid.size(); i++) {
                if (adopted[i] != 0) {
                    Outcome o = withSid.get(i);
                    applyFurthestStatus(conn, o.c().id(), o.status(), now);
                }
            }
        }
        return done;
    }

    private static final String OUTCOME_SQL = "UPDATE %s SET state = ?, sid = COALESCE(?, sid),"
            + " twilio_status = COALESCE(?, twilio_status), error_code = ?, error_message = ?, lease_owner = NULL,"
            + " lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND lease_token = ?";

    private static final String ADOPT_SQL = "UPDATE %s SET message_id = ? WHERE sid = ? AND message_id IS NULL";

    private static void bindOutcome(PreparedStatement p, Claimed c, OutboxState state, String sid, MessageStatus status,
                                    OptionalInt code, String error, Timestamp at) throws SQLException {
        p.setString(1, state.dbName());
        Outbox.setNullable(p, 2, sid);
        Outbox.setNullable(p, 3, status == null ? null : status.twilioName());
        setInt(p, 4, code);
        Outbox.setNullable(p, 5, error == null ? null : Outbox.truncate(error));
        p.setTimestamp(6, at);
        p.setLong(7, c.id());
        p.setString(8, c.token());
    }

    /** Records an outcome in {@code conn}'s transaction, if this worker still holds the lease. */
    private boolean apply(Connection conn, Claimed c, OutboxState state, String sid, MessageStatus status,
                          OptionalInt code, String error, String kind, int attempt, String detail) throws SQLException {
        Instant now = outbox.clock.instant();
        try (PreparedStatement p = conn.prepareStatement(OUTCOME_SQL.replace("%s", outbox.messages))) {
            bindOutcome(p, c, state, sid, status, code, error, Outbox.ts(now));
            if (p.executeUpdate() != 1) {
                return false;
            }
        }
        outbox.insertEvent(conn, c.id(), sid, now, kind, outbox.workerId, attempt, detail, null);
        if (sid != null) {
            adoptCallbacks(conn, c.id(), sid, status, now);
        }
        return true;
    }

    /** Status callbacks that arrived before the SID was recorded: attach them and apply the furthest status. */
    private void adoptCallbacks(Connection conn, long id, String sid, MessageStatus status, Instant now)
            throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(ADOPT_SQL.replace("%s", outbox.events))) {
            p.setLong(1, id);
            p.setString(2, sid);
            if (p.executeUpdate() == 0) {
                return;
            }
        }
        applyFurthestStatus(conn, id, status, now);
    }

    /** Sets the row's Twilio status to the furthest of {@code status} and its recorded status callbacks. */
    private void applyFurthestStatus(Connection conn, long id, MessageStatus status, Instant now) throws SQLException {
        MessageStatus best = status;
        try (PreparedStatement p = conn.prepareStatement("SELECT detail FROM " + outbox.events
                + " WHERE message_id = ? AND kind = 'status'")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String d = rs.getString(1);
                    MessageStatus s = MessageStatus.fromTwilio(d == null ? "" : d.split(" ")[0]);
                    if (best == null || Outbox.rank(s) > Outbox.rank(best)) {
                        best = s;
                    }
                }
            }
        }
        if (best != null && best != status) {
            try (PreparedStatement p = conn.prepareStatement("UPDATE " + outbox.messages + " SET twilio_status = ?,"
                    + " updated_at = ? WHERE id = ?")) {
                p.setString(1, best.twilioName());
                p.setTimestamp(2, Outbox.ts(now));
                p.setLong(3, id);
                p.executeUpdate();
            }
        }
    }

    private static void setInt(PreparedStatement p, int index, OptionalInt value) throws SQLException {
        if (value.isPresent()) {
            p.setInt(index, value.getAsInt());
        } else {
            p.setNull(index, Types.INTEGER);
        }
    }

    /**
     * Stops claiming, gives back claimed messages whose attempt has not started, and waits for
     * sends in flight (at most the account's send deadline plus a few seconds). The account stays
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
            long waitMs = account.config().sendDeadline().plusSeconds(5).toMillis();
            if (!senders.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("outbox worker {}: {} send(s) still running after {} ms; their leases will expire and"
                        + " another worker will settle them", outbox.workerId, inFlight.get(), waitMs);
            }
            writing = false;
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OutboxWorker[" + outbox.workerId + ", finished=" + finished.get() + ", running=" + running + "]";
    }
}
