package org.twiliochannels.outbox;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
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

    private Outbox(Builder b) {
        this.prefix = b.prefix;
        this.lease = b.lease;
        this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
        this.clock = b.clock;
        this.store = new JdbcOutboxStore(b.dataSource, b.prefix);
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
        return batch.isEmpty() ? 0 : store.enqueue(connection, batch, clock.instant());
    }

    /**
     * Adds one message in a transaction of its own (for callers without a transaction to join).
     *
     * @return true when a row was added; false when its key was already there
     */
    public boolean enqueue(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        return store.enqueue(List.of(message), clock.instant()) == 1;
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
     * Deletes messages that reached {@code accepted} or {@code rejected} and have not changed for
     * {@code age}, with their history, and status callbacks for unknown SIDs as old. Messages in
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
        OutboxWorker worker = new OutboxWorker(store, account, settings, workerId, lease, clock);
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

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
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
