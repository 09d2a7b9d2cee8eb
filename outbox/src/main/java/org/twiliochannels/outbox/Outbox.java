package org.twiliochannels.outbox;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
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
 *   <li>{@link #startWorker(TwilioAccount)} starts a worker: it claims due messages in batches
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
 *      OutboxWorker worker = outbox.startWorker(twilio)) {
 *     ...
 * }
 * }</pre>
 */
public final class Outbox {
    /** The default table-name prefix. */
    public static final String DEFAULT_PREFIX = "twilio_";
    /** The JDBC URL of the embedded default: an H2 file in the working directory. */
    public static final String EMBEDDED_URL = "jdbc:h2:file:./twilio-outbox;DB_CLOSE_DELAY=-1";

    final DataSource dataSource;
    final String prefix;
    final Duration lease;
    final int batchSize;
    final String workerId;
    final Duration retention;
    final int concurrency;
    final Duration pollInterval;
    final int maxAttempts;
    final double accountCap;
    final Map<String, Double> senderRates;
    final Clock clock;
    final String messages;
    final String events;
    private volatile Dialect dialect;
    private volatile Pacing pacing;

    private Outbox(Builder b) {
        this.dataSource = b.dataSource;
        this.prefix = b.prefix;
        this.lease = b.lease;
        this.batchSize = b.batchSize;
        this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
        this.retention = b.retention;
        this.concurrency = b.concurrency;
        this.pollInterval = b.pollInterval;
        this.maxAttempts = b.maxAttempts;
        this.accountCap = b.accountCap;
        this.senderRates = Map.copyOf(b.senderRates);
        this.clock = b.clock;
        this.messages = prefix + "outbox_message";
        this.events = prefix + "outbox_event";
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
        return dialect() == Dialect.POSTGRESQL;
    }

    /**
     * Creates the tables, or upgrades them to this library's schema version. Safe to call from
     * every instance at start-up; on PostgreSQL concurrent calls apply each version once.
     *
     * @return how many schema versions were applied (0 when up to date)
     * @throws OutboxException when the database cannot be reached or refuses the schema
     */
    public int migrate() {
        try {
            return Schema.migrate(dataSource, prefix);
        } catch (SQLException e) {
            throw new OutboxException("could not create or upgrade the outbox tables (prefix " + prefix + "): "
                    + e.getMessage(), e);
        }
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
        if (batch.isEmpty()) {
            return 0;
        }
        Timestamp now = ts(clock.instant());
        String insert = "INSERT INTO " + messages + " (caller_key, batch, channel, recipient, content, segments, state,"
                + " attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)";
        try {
            Dialect d = Dialect.of(connection);
            if (d == Dialect.POSTGRESQL) {
                try (PreparedStatement p = connection.prepareStatement(insert + " ON CONFLICT (caller_key) DO NOTHING")) {
                    for (OutboxMessage m : batch) {
                        bindInsert(p, m, now);
                        p.addBatch();
                    }
                    int added = 0;
                    for (int n : p.executeBatch()) {
                        added += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : n;
                    }
                    return added;
                }
            }
            int added = 0;
            try (PreparedStatement p = connection.prepareStatement(insert)) {
                for (OutboxMessage m : batch) {
                    bindInsert(p, m, now);
                    try {
                        added += p.executeUpdate();
                    } catch (SQLException e) {
                        if (!Dialect.isDuplicate(e) || m.key().isEmpty()) {
                            throw e;
                        }
                    }
                }
            }
            return added;
        } catch (SQLException e) {
            throw new OutboxException("could not enqueue " + batch.size() + " message(s) into " + messages + ": "
                    + e.getMessage() + missingTableHint(e), e);
        }
    }

    /**
     * Adds one message in a transaction of its own (for callers without a transaction to join).
     *
     * @return true when a row was added; false when its key was already there
     */
    public boolean enqueue(OutboxMessage message) {
        return inTransaction(c -> enqueue(c, message));
    }

    private void bindInsert(PreparedStatement p, OutboxMessage m, Timestamp now) throws SQLException {
        Message msg = m.message();
        setNullable(p, 1, m.key().orElse(null));
        setNullable(p, 2, m.batch().orElse(null));
        p.setString(3, m.channel());
        p.setString(4, msg.to().value());
        p.setString(5, MessageCodec.write(msg));
        p.setInt(6, MessageCodec.segments(m.channel(), msg));
        Timestamp due = m.notBefore().map(Outbox::ts).orElse(now);
        p.setTimestamp(7, due);
        p.setTimestamp(8, now);
        p.setTimestamp(9, now);
    }

    /** The message enqueued with this caller key, with its history. */
    public Optional<OutboxRecord> state(String key) {
        Objects.requireNonNull(key, "key");
        return record("caller_key = ?", key);
    }

    /** The message Twilio knows by this SID, with its history. */
    public Optional<OutboxRecord> stateBySid(MessageSid sid) {
        Objects.requireNonNull(sid, "sid");
        return record("sid = ?", sid.value());
    }

    /** The message with this row id, with its history. */
    public Optional<OutboxRecord> state(long id) {
        return record("id = ?", id);
    }

    private Optional<OutboxRecord> record(String where, Object value) {
        return inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, caller_key, batch, channel, content, state, attempts,"
                    + " sid, twilio_status, error_code, error_message, created_at, updated_at FROM " + messages
                    + " WHERE " + where)) {
                p.setObject(1, value);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long id = rs.getLong(1);
                    Message m = MessageCodec.read(rs.getString(5));
                    String sid = rs.getString(8);
                    String status = rs.getString(9);
                    int code = rs.getInt(10);
                    OptionalInt errorCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
                    Instant created = rs.getTimestamp(12).toInstant();
                    List<OutboxEvent> history = new ArrayList<>();
                    history.add(new OutboxEvent(created, "enqueued", Optional.empty(), OptionalInt.empty(),
                            Optional.empty()));
                    history.addAll(history(c, id));
                    return Optional.of(new OutboxRecord(id, Optional.ofNullable(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), rs.getString(4), m.to(),
                            OutboxState.fromDb(rs.getString(6)), rs.getInt(7),
                            Optional.ofNullable(sid).map(MessageSid::of),
                            Optional.ofNullable(status).map(MessageStatus::fromTwilio), errorCode,
                            Optional.ofNullable(rs.getString(11)), created, rs.getTimestamp(13).toInstant(), history));
                }
            }
        });
    }

    private List<OutboxEvent> history(Connection c, long id) throws SQLException {
        List<OutboxEvent> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT at, kind, worker, attempt, detail FROM " + events
                + " WHERE message_id = ? ORDER BY id")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int attempt = rs.getInt(4);
                    OptionalInt a = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(attempt);
                    out.add(new OutboxEvent(rs.getTimestamp(1).toInstant(), rs.getString(2),
                            Optional.ofNullable(rs.getString(3)), a, Optional.ofNullable(rs.getString(5))));
                }
            }
        }
        return out;
    }

    /** How many messages are in each state, every state present (zero when none): the whole table. */
    public Map<OutboxState, Long> counts() {
        return counts(null);
    }

    /** How many messages of {@code batch} are in each state, every state present. */
    public Map<OutboxState, Long> counts(String batch) {
        return inTransaction(c -> {
            Map<OutboxState, Long> out = new EnumMap<>(OutboxState.class);
            for (OutboxState s : OutboxState.values()) {
                out.put(s, 0L);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT state, COUNT(*) FROM " + messages
                    + (batch == null ? "" : " WHERE batch = ?") + " GROUP BY state")) {
                if (batch != null) {
                    p.setString(1, batch);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(OutboxState.fromDb(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** How many accepted messages have each Twilio status (from the answer, then status callbacks). */
    public Map<MessageStatus, Long> twilioStatusCounts(String batch) {
        return inTransaction(c -> {
            Map<MessageStatus, Long> out = new EnumMap<>(MessageStatus.class);
            try (PreparedStatement p = c.prepareStatement("SELECT twilio_status, COUNT(*) FROM " + messages
                    + " WHERE state = 'accepted'" + (batch == null ? "" : " AND batch = ?") + " GROUP BY twilio_status")) {
                if (batch != null) {
                    p.setString(1, batch);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.merge(MessageStatus.fromTwilio(rs.getString(1)), rs.getLong(2), Long::sum);
                    }
                }
            }
            return out;
        });
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
        return inTransaction(c -> {
            Instant now = clock.instant();
            Long id = null;
            String current = null;
            try (PreparedStatement p = c.prepareStatement("SELECT id, twilio_status FROM " + messages
                    + " WHERE sid = ? FOR UPDATE")) {
                p.setString(1, callback.messageSid().value());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                        current = rs.getString(2);
                    }
                }
            }
            String detail = callback.status().twilioName()
                    + (callback.errorCode().isPresent() ? " error " + callback.errorCode().getAsInt() : "");
            if (!insertEvent(c, id, callback.messageSid().value(), now, "status", null, null, detail,
                    callback.deduplicationKey())) {
                return false;
            }
            if (id != null && advances(current, callback.status())) {
                try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET twilio_status = ?,"
                        + " error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message),"
                        + " updated_at = ? WHERE id = ?")) {
                    p.setString(1, callback.status().twilioName());
                    if (callback.errorCode().isPresent()) {
                        p.setInt(2, callback.errorCode().getAsInt());
                    } else {
                        p.setNull(2, Types.INTEGER);
                    }
                    setNullable(p, 3, callback.errorMessage().orElse(null));
                    p.setTimestamp(4, ts(now));
                    p.setLong(5, id);
                    p.executeUpdate();
                }
            }
            return true;
        });
    }

    /** Where a status stands in a message's life: a later callback never moves it back. */
    static int rank(MessageStatus s) {
        return switch (s) {
            case ACCEPTED, SCHEDULED -> 1;
            case QUEUED -> 2;
            case SENDING -> 3;
            case SENT -> 4;
            case DELIVERED, UNDELIVERED, FAILED, CANCELED, PARTIALLY_DELIVERED -> 5;
            case READ -> 6;
            default -> 0;
        };
    }

    static boolean advances(String current, MessageStatus next) {
        return current == null || rank(next) > rank(MessageStatus.fromTwilio(current));
    }

    /**
     * Inserts a history entry; with a dedup key, false when it is already there.
     */
    boolean insertEvent(Connection c, Long messageId, String sid, Instant at, String kind, String worker,
                        Integer attempt, String detail, String dedupKey) throws SQLException {
        String sql = "INSERT INTO " + events + " (message_id, sid, at, kind, worker, attempt, detail, dedup_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        boolean pg = dialect() == Dialect.POSTGRESQL;
        if (dedupKey != null && pg) {
            sql += " ON CONFLICT (dedup_key) DO NOTHING";
        }
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (messageId == null) {
                p.setNull(1, Types.BIGINT);
            } else {
                p.setLong(1, messageId);
            }
            setNullable(p, 2, sid);
            p.setTimestamp(3, ts(at));
            p.setString(4, kind);
            setNullable(p, 5, worker);
            if (attempt == null) {
                p.setNull(6, Types.INTEGER);
            } else {
                p.setInt(6, attempt);
            }
            setNullable(p, 7, detail == null ? null : truncate(detail));
            setNullable(p, 8, dedupKey);
            try {
                return p.executeUpdate() == 1;
            } catch (SQLException e) {
                if (dedupKey != null && !pg && Dialect.isDuplicate(e)) {
                    return false;
                }
                throw e;
            }
        }
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
        Timestamp before = ts(clock.instant().minus(age));
        return inTransaction(c -> {
            try (PreparedStatement ev = c.prepareStatement("DELETE FROM " + events + " WHERE message_id IN (SELECT id FROM "
                    + messages + " WHERE state IN ('accepted', 'rejected') AND updated_at < ?)"
                    + " OR (message_id IS NULL AND at < ?)")) {
                ev.setTimestamp(1, before);
                ev.setTimestamp(2, before);
                ev.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + messages
                    + " WHERE state IN ('accepted', 'rejected') AND updated_at < ?")) {
                p.setTimestamp(1, before);
                return p.executeUpdate();
            }
        });
    }

    /**
     * Starts a worker on this instance that sends through {@code account}'s channels, and returns
     * it; close it to stop (it finishes what it holds). Start one per instance: workers on every
     * instance pointed at the same PostgreSQL share the messages and the pacing.
     *
     * @throws IllegalArgumentException when the lease is not longer than the account's send deadline
     */
    public OutboxWorker startWorker(TwilioAccount account) {
        Objects.requireNonNull(account, "account");
        Duration needed = account.config().sendDeadline().plusSeconds(1);
        if (lease.compareTo(needed) < 0) {
            throw new IllegalArgumentException("lease " + lease.toMillis() + " ms must be at least the account's send"
                    + " deadline plus 1 s (" + needed.toMillis() + " ms): a worker still sending must never look dead."
                    + " Raise Outbox.Builder.lease or lower TwilioConfig.Builder.sendDeadline.");
        }
        OutboxWorker worker = new OutboxWorker(this, account);
        worker.start();
        return worker;
    }

    Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            d = inTransaction(Dialect::of);
            dialect = d;
        }
        return d;
    }

    Pacing pacing() {
        Pacing p = pacing;
        if (p == null) {
            synchronized (this) {
                if (pacing == null) {
                    pacing = dialect() == Dialect.POSTGRESQL ? Pacing.shared(dataSource, prefix) : Pacing.local();
                }
                p = pacing;
            }
        }
        return p;
    }

    /** The segments per second of a sender: as configured, or the default for its kind. */
    double senderRate(String sender, double defaultRate) {
        return senderRates.getOrDefault(sender, defaultRate);
    }

    /** A unit of work on a connection of the outbox's own. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new OutboxException("outbox database error (tables " + prefix + "outbox_*): " + e.getMessage()
                    + missingTableHint(e), e);
        }
    }

    /**
     * Runs one statement that is atomic on its own on a connection of the outbox's own: in
     * auto-commit mode (one round trip, no {@code BEGIN}/{@code COMMIT}) when the pool hands out
     * such connections, else in a transaction of its own.
     */
    <T> T inOneStatement(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
            return work.run(c);
        } catch (SQLException e) {
            throw new OutboxException("outbox database error (tables " + prefix + "outbox_*): " + e.getMessage()
                    + missingTableHint(e), e);
        }
    }

    private String missingTableHint(SQLException e) {
        String state = e.getSQLState();
        return "42P01".equals(state) || "42S02".equals(state) || "42S01".equals(state)
                ? "; the outbox tables are missing: call Outbox.migrate() once at start-up" : "";
    }

    /** An instant as stored: whole milliseconds, so that what is written compares equal to what is asked. */
    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
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
        return "Outbox[prefix=" + prefix + ", worker=" + workerId + ", lease=" + lease + ", batch=" + batchSize + "]";
    }

    /** Builds an {@link Outbox}; every default is documented on its setter. */
    public static final class Builder {
        private final DataSource dataSource;
        private String prefix = DEFAULT_PREFIX;
        private Duration lease = Duration.ofSeconds(60);
        private int batchSize = 50;
        private String workerId;
        private Duration retention = Duration.ofDays(30);
        private int concurrency = 16;
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxAttempts = 10;
        private double accountCap = 2000;
        private final Map<String, Double> senderRates = new HashMap<>();
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
            this.lease = positive("lease", lease);
            return this;
        }

        /** The most messages one claim takes (default 50), 1 to 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = inRange("batchSize", batchSize, 1000);
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

        /**
         * How long finished messages are kept (default 30 days); workers purge older ones hourly.
         * {@link Duration#ZERO} turns the purge off.
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention must be zero (keep everything) or positive, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /** Sends in flight at once per worker (default 16); give the account as many connections. */
        public Builder concurrency(int concurrency) {
            this.concurrency = inRange("concurrency", concurrency, 1000);
            return this;
        }

        /** How long an idle worker waits before looking for due messages again (default 250 ms). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * Attempts before a message that keeps failing without being sent (Twilio unreachable,
         * throttled beyond the retries, credentials refused) is given up as rejected (default 10).
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The account's cap in segments per second, shared by every sender and instance (default 2000). */
        public Builder accountCap(double segmentsPerSecond) {
            this.accountCap = rate("accountCap", segmentsPerSecond);
            return this;
        }

        /**
         * The rate of one sender, by its address or Messaging Service SID as configured (e.g.
         * {@code "+14155550100"}, {@code "whatsapp:+14155238886"}, {@code "MG…"}), in segments per
         * second. Without it: 1 for a long code, 3 for a toll-free number, 80 for WhatsApp, 1 for a
         * Messaging Service (set what Twilio granted it). Give every instance the same rates.
         */
        public Builder senderRate(String sender, double segmentsPerSecond) {
            Objects.requireNonNull(sender, "sender");
            senderRates.put(sender.strip(), rate("senderRate", segmentsPerSecond));
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

        private static double rate(String name, double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException(name + " must be a positive number of segments per second, was " + r);
            }
            return r;
        }

        private static int inRange(String name, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be 1 to " + max + ", was " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
