package org.twiliochannels.outbox;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.schedule.ContentFingerprint;
import org.twiliochannels.core.schedule.FrequencyCap;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * Durable sending through a database table, shared by every instance of an application.
 *
 * <ul>
 *   <li>{@link #enqueue(Connection, OutboxMessage)} writes a message in the caller's own
 *       transaction: it is sent if and only if that transaction commits. A caller key makes it
 *       idempotent.</li>
 *   <li>{@link #startWorker(TwilioAccount, WorkerSettings)} starts a worker: it claims due messages in batches
 *       ({@code SELECT … FOR UPDATE SKIP LOCKED}) under a lease, records each attempt before the
 *       request and its outcome after, and settles from Twilio's message log any message whose
 *       previous worker died while sending, before sending it again. Start one per instance; they
 *       share the work and the pacing.</li>
 *   <li>{@link #startWorker(TwilioAccounts, WorkerSettings)} starts one worker for many accounts (a
 *       platform sending for its customers' subaccounts): each message names its account
 *       ({@link OutboxMessage.Builder#account}) and goes out through it, claimed round-robin per
 *       account so that one account's backlog does not hold back the others, each account paced
 *       against its own cap.</li>
 *   <li>The rules the law and the calendar impose, applied when a worker claims a message (consent
 *       and quiet hours can change while it waits): the recipient's consent in
 *       {@link #consentLedger()} (opted out: {@link OutboxState#OPTED_OUT}, no request), quiet
 *       hours of its {@link OutboxMessage.Builder#category category} in the recipient's zone (queued
 *       again, due when the window opens; already at enqueue), {@link Builder#frequencyCap frequency
 *       caps} and the {@link Builder#duplicateWindow duplicate window}, counted across instances.
 *       {@link #cancel(String)} and {@link #reschedule(String, Instant)} change a message by its key
 *       until a worker starts its attempt: the database decides which wins.</li>
 *   <li>The table is a ledger: {@link #state(String)}, {@link #stateBySid(MessageSid)},
 *       {@link #counts()}; {@link #recordStatusCallback(StatusCallback)} records Twilio's later
 *       statuses; {@link #purgeOlderThan(Duration)} applies retention.</li>
 * </ul>
 *
 * <p>PostgreSQL serves any number of instances; H2 (the {@link #embedded()} default) one machine.
 * Plain JDBC on the {@link DataSource} given; the outbox never commits, rolls back or closes a
 * connection it was handed. Thread-safe.
 *
 * <pre>{@code
 * Outbox outbox = Outbox.builder(dataSource).build();
 * outbox.migrate();
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     outbox.enqueue(c, OutboxMessage.of("sms", Message.text(order.phone(), "Order received"), "order-" + order.id()));
 *     c.commit();
 * }
 * try (TwilioAccount twilio = TwilioAccount.open(TwilioEnvironment.load());
 *      OutboxWorker worker = outbox.startWorker(twilio, WorkerSettings.defaults())) {
 *     ...
 * }
 * }</pre>
 */
public final class Outbox {
    /** The default table-name prefix. */
    public static final String DEFAULT_PREFIX = "twilio_";
    /** The JDBC URL of the embedded default: an H2 file in the working directory. */
    public static final String EMBEDDED_URL = "jdbc:h2:file:./twilio-outbox;DB_CLOSE_DELAY=-1";

    private final String prefix;
    private final Duration lease;
    private final String workerId;
    private final Clock clock;
    private final OutboxStore store;
    private final SendRules rules;
    private final ConsentLedger ledger;

    private Outbox(Builder b) {
        this.prefix = b.prefix;
        this.lease = b.lease;
        this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
        this.clock = b.clock;
        this.store = new JdbcOutboxStore(b.dataSource, b.prefix);
        this.rules = new SendRules(b.quietHours, b.caps, b.duplicateWindow);
        this.ledger = new OutboxConsentLedger(store);
    }

    /** A builder for an outbox on {@code dataSource} (PostgreSQL, or H2 for one machine). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** A builder for the embedded default: the H2 file database {@value #EMBEDDED_URL} (one machine). */
    public static Builder embedded() {
        return builder(h2(EMBEDDED_URL));
    }

    /** A builder for an embedded H2 file database at {@code file} (H2 adds {@code .mv.db}); one machine. */
    public static Builder embedded(Path file) {
        return builder(h2("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_DELAY=-1"));
    }

    private static DataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    /** The store, for the conversations on this outbox's tables. */
    OutboxStore store() {
        return store;
    }

    /** The clock of enqueue and due times. */
    Clock clock() {
        return clock;
    }

    /** The table-name prefix. */
    public String tablePrefix() {
        return prefix;
    }

    /** How long a worker holds a message before another may take it over. */
    public Duration lease() {
        return lease;
    }

    /** This instance's worker id, recorded with every claim and attempt. */
    public String workerId() {
        return workerId;
    }

    /** True when pacing is shared by every instance on the database (PostgreSQL); false on H2 (this process only). */
    public boolean sharesPacing() {
        return store.rateBuckets().isShared();
    }

    /**
     * Creates the tables, or upgrades them to this library's schema version. Safe to call from
     * every instance at start-up; on PostgreSQL concurrent calls apply each version once.
     *
     * @return how many schema versions were applied (0 when up to date)
     * @throws OutboxException when the database cannot be reached or refuses the schema
     */
    public int migrate() {
        return store.migrate();
    }

    /**
     * Adds a message in the caller's transaction: it becomes visible to workers when the caller
     * commits, and is gone if the caller rolls back. The connection is used as it is: never
     * committed, rolled back or closed here.
     *
     * @return true when a row was added; false when a message with the same key is already there
     * @throws OutboxException when the insert fails
     */
    public boolean enqueue(Connection connection, OutboxMessage message) {
        return enqueueAll(connection, List.of(message)) == 1;
    }

    /**
     * Adds messages in the caller's transaction, as {@link #enqueue(Connection, OutboxMessage)},
     * in one batch.
     *
     * @return how many rows were added (messages whose key is already there are not)
     */
    public int enqueueAll(Connection connection, List<OutboxMessage> batch) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(batch, "batch");
        Instant now = clock.instant();
        return batch.isEmpty() ? 0 : store.enqueue(connection, due(batch, now), now);
    }

    /**
     * Adds one message in a transaction of its own (for callers without a transaction to join).
     *
     * @return true when a row was added; false when its key was already there
     */
    public boolean enqueue(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        Instant now = clock.instant();
        return store.enqueue(due(List.of(message), now), now) == 1;
    }

    /** The batch with each message's due time: its not-before time (or now), moved by quiet hours. */
    private List<OutboxMessage> due(List<OutboxMessage> batch, Instant now) {
        List<OutboxMessage> out = new ArrayList<>(batch.size());
        for (OutboxMessage m : batch) {
            Instant due = dueAt(Objects.requireNonNull(m, "message"), now);
            out.add(m.notBefore().isEmpty() && due.equals(now) ? m : m.withDue(due));
        }
        return out;
    }

    /**
     * When a worker will take {@code message} if it is enqueued now: its not-before time (now when
     * none or past), moved to the opening of its category's sending window in the recipient's
     * zone when that falls in quiet hours. A frequency cap may hold it longer; it is applied when a
     * worker claims it.
     *
     * @throws IllegalArgumentException when the category has a window and the recipient's zone is
     *                                  unknown: give the message {@link OutboxMessage.Builder#timeZone}
     */
    public Instant dueAt(OutboxMessage message) {
        return dueAt(Objects.requireNonNull(message, "message"), clock.instant());
    }

    /**
     * When quiet hours hold {@code message} until, if it is enqueued now: the opening of its
     * category's window in the recipient's zone, when its not-before time (or now) falls outside it;
     * empty when it goes at that time.
     *
     * @throws IllegalArgumentException as {@link #dueAt(OutboxMessage)}
     */
    public Optional<Instant> heldUntil(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        Instant now = clock.instant();
        Instant base = message.notBefore().filter(t -> t.isAfter(now)).orElse(now);
        Instant due = dueAt(message, now);
        return due.equals(base) ? Optional.empty() : Optional.of(due);
    }

    private Instant dueAt(OutboxMessage m, Instant now) {
        Instant base = m.notBefore().filter(t -> t.isAfter(now)).orElse(now);
        return rules.dueAt(m.message().to(), m.category(), m.timeZone(), base);
    }

    /**
     * Cancels the message enqueued with {@code key}, if a worker has not started its attempt: it
     * ends {@link OutboxState#CANCELED} and no request is ever made. A message already sending or
     * finished is left as it is and the answer says so ("too late"). The database decides a race
     * with a worker: the attempt or the cancel, never both. A message that Twilio itself holds
     * (scheduled with {@code SendAt}) is not canceled at Twilio: the outbox never schedules at Twilio.
     *
     * @throws IllegalArgumentException when no message has the key
     */
    public KeyedChange cancel(String key) {
        Objects.requireNonNull(key, "key");
        return store.cancel(key, clock.instant()).orElseThrow(() -> unknownKey(key));
    }

    /**
     * Moves the message enqueued with {@code key} to {@code time} (moved on by quiet hours as at
     * enqueue), if a worker has not started its attempt; else changes nothing and says why, as
     * {@link #cancel(String)}. A time in the past makes it due at once.
     *
     * @throws IllegalArgumentException when no message has the key
     */
    public KeyedChange reschedule(String key, Instant time) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(time, "time");
        Instant now = clock.instant();
        OutboxRecord r = state(key).orElseThrow(() -> unknownKey(key));
        Instant base = time.isAfter(now) ? time : now;
        Instant due = rules.dueAt(r.to(), r.category(), r.timeZone(), base);
        return store.reschedule(key, due, now).orElseThrow(() -> unknownKey(key));
    }

    private static IllegalArgumentException unknownKey(String key) {
        return new IllegalArgumentException("key \"" + key + "\": no message in the outbox has this key (never"
                + " enqueued, or purged by the retention); check the key, and the outbox's table prefix");
    }

    /**
     * The consent ledger in this outbox's database, shared by every instance on it: every change with
     * its time and source, the state in force per sender scope and recipient. Workers check it when
     * they claim a message: a recipient opted out for the message's sender (its Messaging Service,
     * else its number, on its channel, in the worker's account) ends {@link OutboxState#OPTED_OUT}
     * without a request. Needs {@link #migrate()}.
     */
    public ConsentLedger consentLedger() {
        return ledger;
    }

    /** The message enqueued with this caller key, with its history. */
    public Optional<OutboxRecord> state(String key) {
        return store.find(OutboxStore.Lookup.KEY, Objects.requireNonNull(key, "key"));
    }

    /** The message Twilio knows by this SID, with its history. */
    public Optional<OutboxRecord> stateBySid(MessageSid sid) {
        return store.find(OutboxStore.Lookup.SID, Objects.requireNonNull(sid, "sid").value());
    }

    /** The message with this row id, with its history. */
    public Optional<OutboxRecord> state(long id) {
        return store.find(OutboxStore.Lookup.ID, id);
    }

    /** How many messages are in each state, every state present (zero when none): the whole table. */
    public Map<OutboxState, Long> counts() {
        return store.counts(null);
    }

    /** How many messages of {@code batch} are in each state, every state present. */
    public Map<OutboxState, Long> counts(String batch) {
        return store.counts(batch);
    }

    /** How many accepted messages have each Twilio status (from the answer, then status callbacks). */
    public Map<MessageStatus, Long> twilioStatusCounts(String batch) {
        return store.twilioStatusCounts(batch);
    }

    /**
     * Records a verified status callback against the message with its SID: Twilio's status is
     * updated when it moves the message forward (a late {@code sent} after {@code delivered} is
     * kept in the history but does not go back), the error kept. The same callback twice is
     * recorded once. A callback for a SID the outbox does not know yet (it can overtake the
     * worker's own record of the answer) is kept and applied when the SID is recorded.
     *
     * @return true when recorded; false when it was a duplicate
     */
    public boolean recordStatusCallback(StatusCallback callback) {
        Objects.requireNonNull(callback, "callback");
        return store.recordStatusCallback(callback, clock.instant());
    }

    /**
     * Deletes messages that reached {@code accepted}, {@code rejected}, {@code opted-out},
     * {@code canceled} or {@code duplicate} and have not changed for
     * {@code age}, with their history, and status callbacks for unknown SIDs as old (the consent
     * ledger is never purged: it is an audit trail). Messages in
     * other states (waiting, in flight, unknown) are kept: they still need a worker or a person.
     *
     * @return how many messages were deleted
     */
    public int purgeOlderThan(Duration age) {
        Objects.requireNonNull(age, "age");
        return store.purge(clock.instant().minus(age));
    }

    /**
     * Starts a worker with {@link WorkerSettings#defaults()}, as
     * {@link #startWorker(TwilioAccount, WorkerSettings)}.
     *
     * @throws IllegalArgumentException when the lease is not longer than the account's send deadline
     */
    public OutboxWorker startWorker(TwilioAccount account) {
        return startWorker(account, WorkerSettings.defaults());
    }

    /**
     * Starts a worker on this instance that sends through {@code account}'s channels with
     * {@code settings}, and returns it; close it to stop (it finishes what it holds). Start one per
     * instance: workers on every instance pointed at the same PostgreSQL share the messages and the
     * pacing.
     *
     * @throws IllegalArgumentException when the lease is not longer than the account's send deadline
     */
    public OutboxWorker startWorker(TwilioAccount account, WorkerSettings settings) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(settings, "settings");
        Duration needed = account.config().sendDeadline().plusSeconds(1);
        if (lease.compareTo(needed) < 0) {
            throw new IllegalArgumentException("lease " + lease.toMillis() + " ms must be at least the account's send"
                    + " deadline plus 1 s (" + needed.toMillis() + " ms): a worker still sending must never look dead."
                    + " Raise Outbox.Builder.lease or lower TwilioConfig.Builder.sendDeadline.");
        }
        return started(new OutboxWorker(store, new WorkerAccounts.One(account), settings, workerId, lease, clock,
                rules));
    }

    /**
     * Starts a worker on this instance that sends for many accounts: the messages that name their
     * account ({@link OutboxMessage.Builder#account}), each through that account, opened from
     * {@code accounts} when needed. Fair: it claims round-robin per account (each account's oldest
     * due message, then each one's second, …), so that one account's backlog delays another's
     * message by one claim at most. Each account's cap and each of its senders' rates are paced on
     * their own, shared by every instance on PostgreSQL. Consent is kept per account.
     *
     * <p>An account {@code accounts} cannot open (its resolver throws or knows no such account): its
     * messages are not sent; each is queued again with the backoff of a failed attempt, the reason
     * in its history and last error, and rejected with it once {@link WorkerSettings#maxAttempts()}
     * run out; the other accounts go on. Messages that name no account are left to a
     * single-account worker ({@link #startWorker(TwilioAccount, WorkerSettings)}). Every account's
     * send deadline must be shorter than the lease by a second: a message of an account whose is not
     * is not sent, with that reason. The send limit does not halve after 429s as a
     * single-account worker's does. Start one per instance; close it to stop (it does not close
     * {@code accounts}).
     */
    public OutboxWorker startWorker(TwilioAccounts accounts, WorkerSettings settings) {
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(settings, "settings");
        return started(new OutboxWorker(store, new WorkerAccounts.Many(accounts, lease), settings, workerId, lease,
                clock, rules));
    }

    private static OutboxWorker started(OutboxWorker worker) {
        worker.start();
        return worker;
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            host = "host";
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        byte[] r = new byte[3];
        ThreadLocalRandom.current().nextBytes(r);
        String id = host + ":" + pid + ":" + HexFormat.of().formatHex(r);
        return id.length() > 120 ? id.substring(id.length() - 120) : id;
    }

    @Override
    public String toString() {
        return "Outbox[prefix=" + prefix + ", worker=" + workerId + ", lease=" + lease + "]";
    }

    /**
     * Builds an {@link Outbox}: its tables, lease, worker id and clock; every default is
     * documented on its setter. How a worker works (sends in flight, claim size, polling, attempts,
     * retention, pacing) is a {@link WorkerSettings} of its own, given to
     * {@link Outbox#startWorker(TwilioAccount, WorkerSettings)}.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String prefix = DEFAULT_PREFIX;
        private Duration lease = Duration.ofSeconds(60);
        private String workerId;
        private Clock clock = Clock.systemUTC();
        private QuietHours quietHours = QuietHours.defaults();
        private final Map<MessageCategory, FrequencyCap> caps = new EnumMap<>(MessageCategory.class);
        private Duration duplicateWindow = Duration.ZERO;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The sending windows per category (default {@link QuietHours#defaults()}: MARKETING
         * 08:00–21:00 in the recipient's local time, the rest at any time). A message due in quiet
         * hours is enqueued due at its window's opening, and checked again when a worker claims it.
         * {@code QuietHours.builder().build()} holds nothing.
         */
        public Builder quietHours(QuietHours quietHours) {
            this.quietHours = Objects.requireNonNull(quietHours, "quietHours");
            return this;
        }

        /**
         * A frequency cap (default none): at most {@code cap.limit()} messages of its category to
         * one recipient in any {@code cap.period()}, counted across every instance on the database at
         * claim time; a message over it is queued again, due when the cap allows it. One per category.
         *
         * @throws IllegalArgumentException when its category has a cap already
         */
        public Builder frequencyCap(FrequencyCap cap) {
            Objects.requireNonNull(cap, "cap");
            FrequencyCap before = caps.putIfAbsent(cap.category(), cap);
            if (before != null) {
                throw new IllegalArgumentException("frequencyCap for " + cap.category() + " is given twice (" + before
                        + ", then " + cap + "); give one cap per category");
            }
            return this;
        }

        /**
         * How long the same content ({@link ContentFingerprint}) to the same recipient is dropped as
         * a duplicate (default zero: never), checked at claim time across every instance; a duplicate
         * ends {@link OutboxState#DUPLICATE} without a request. At most 366 days.
         */
        public Builder duplicateWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("duplicateWindow " + window + " must be zero (off) to 366 days,"
                        + " e.g. Duration.ofHours(24)");
            }
            this.duplicateWindow = window;
            return this;
        }

        /**
         * The table-name prefix (default {@code twilio_}): lower-case letters, digits and
         * underscores, starting with a letter, at most 30 characters.
         */
        public Builder tablePrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("[a-z][a-z0-9_]{0,29}")) {
                throw new IllegalArgumentException("tablePrefix \"" + prefix + "\" must be lower-case letters, digits"
                        + " and '_', starting with a letter, at most 30 characters, e.g. \"twilio_\"");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * How long a worker holds a message it claimed or is sending (default 60 s); when it expires
         * (the worker died) another worker takes the message over. Must exceed the account's send
         * deadline by at least a second.
         */
        public Builder lease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be positive, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** This instance's worker id in leases and history (default host:pid:random), at most 120 characters. */
        public Builder workerId(String workerId) {
            Objects.requireNonNull(workerId, "workerId");
            if (workerId.isBlank() || workerId.length() > 120) {
                throw new IllegalArgumentException("workerId must be 1 to 120 characters, was " + workerId.length());
            }
            this.workerId = workerId;
            return this;
        }

        /** The clock for enqueue, due, lease and history times (default the system's UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The outbox; opens no connection until used. */
        public Outbox build() {
            return new Outbox(this);
        }
    }
}
