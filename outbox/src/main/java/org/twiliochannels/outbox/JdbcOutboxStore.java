package org.twiliochannels.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * The outbox's statements on PostgreSQL or H2, over plain JDBC on the {@link DataSource} given;
 * what differs between the two is asked of the {@link Dialect}, found on first use. Tables:
 * {@code <prefix>outbox_message} (one row per message), {@code <prefix>outbox_event} (its history
 * and status callbacks), {@code <prefix>outbox_schema} (applied versions) and
 * {@code <prefix>rate_bucket} (Bucket4j's, on PostgreSQL). Thread-safe.
 */
final class JdbcOutboxStore implements OutboxStore {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    /** The schema versions, in order: files {@code schema/<name>.sql} beside this class; a new file is added here. */
    static final List<String> VERSIONS = List.of("V1__outbox");

    private final DataSource dataSource;
    private final String prefix;
    private final String messages;
    private final String events;
    private volatile Dialect dialect;
    private volatile RateBuckets buckets;

    JdbcOutboxStore(DataSource dataSource, String prefix) {
        this.dataSource = dataSource;
        this.prefix = prefix;
        this.messages = prefix + "outbox_message";
        this.events = prefix + "outbox_event";
    }

    Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            d = inTransaction(Dialect::of);
            dialect = d;
        }
        return d;
    }

    // ---- the schema and the database

    @Override
    public int migrate() {
        try (Connection c = dataSource.getConnection()) {
            Dialect d = Dialect.of(c);
            dialect = d;
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int applied = migrate(c, d);
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new OutboxException("could not create or upgrade the outbox tables (prefix " + prefix + "): "
                    + e.getMessage(), e);
        }
    }

    private int migrate(Connection c, Dialect d) throws SQLException {
        d.lockForMigration(c, prefix);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "outbox_schema (version INTEGER PRIMARY KEY,"
                    + " name VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        int current = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + prefix + "outbox_schema")) {
            if (rs.next()) {
                current = rs.getInt(1);
            }
        }
        if (current > VERSIONS.size()) {
            throw new IllegalStateException("The outbox tables with prefix " + prefix + " are at schema version "
                    + current + ", newer than this library knows (" + VERSIONS.size() + "); upgrade"
                    + " twilio-channels-outbox on this instance.");
        }
        int applied = 0;
        for (int v = current + 1; v <= VERSIONS.size(); v++) {
            String name = VERSIONS.get(v - 1);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(read(name), prefix)) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + prefix
                    + "outbox_schema (version, name, applied_at) VALUES (?, ?, ?)")) {
                p.setInt(1, v);
                p.setString(2, name);
                p.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                p.executeUpdate();
            }
            applied++;
        }
        return applied;
    }

    static String read(String name) {
        String path = "schema/" + name + ".sql";
        try (InputStream in = JdbcOutboxStore.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + path + " is missing from the outbox jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements of a file: comments dropped, split at semicolons that end a line, prefix filled in. */
    static List<String> statements(String text, String prefix) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (l.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1).replace("${prefix}", prefix));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip().replace("${prefix}", prefix));
        }
        return out;
    }

    @Override
    public RateBuckets rateBuckets() {
        RateBuckets b = buckets;
        if (b == null) {
            synchronized (this) {
                if (buckets == null) {
                    buckets = dialect().rateBuckets(dataSource, prefix);
                }
                b = buckets;
            }
        }
        return b;
    }

    // ---- messages: added in the caller's transaction

    @Override
    public int enqueue(Connection connection, List<OutboxMessage> batch, Instant now) {
        Timestamp at = ts(now);
        String insert = "INSERT INTO " + messages + " (caller_key, batch, channel, recipient, content, segments, state,"
                + " attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";
        try {
            Dialect d = dialect != null ? dialect : Dialect.of(connection);
            return d.insertSkippingDuplicates(connection, insert, "caller_key", batch, (p, m) -> {
                Message msg = m.message();
                setNullable(p, 1, m.key().orElse(null));
                setNullable(p, 2, m.batch().orElse(null));
                p.setString(3, m.channel());
                p.setString(4, msg.to().value());
                p.setString(5, MessageCodec.write(msg));
                p.setInt(6, MessageCodec.segments(m.channel(), msg));
                p.setString(7, OutboxState.QUEUED.dbName());
                p.setTimestamp(8, m.notBefore().map(JdbcOutboxStore::ts).orElse(at));
                p.setTimestamp(9, at);
                p.setTimestamp(10, at);
            });
        } catch (SQLException e) {
            throw new OutboxException("could not enqueue " + batch.size() + " message(s) into " + messages + ": "
                    + e.getMessage() + missingTableHint(e), e);
        }
    }

    @Override
    public int enqueue(List<OutboxMessage> batch, Instant now) {
        return inTransaction(c -> enqueue(c, batch, now));
    }

    // ---- messages: claims and leases

    @Override
    public List<Claim> claim(ClaimRequest r) {
        Timestamp now = ts(r.now());
        return inTransaction(c -> {
            List<Claim> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, channel, content, segments, state, attempts,"
                    + " first_attempt_at, lease_expires_at FROM " + messages
                    + " WHERE (state = ? AND next_attempt_at <= ?) OR (state IN (?, ?) AND lease_expires_at <= ?)"
                    + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                p.setString(1, OutboxState.QUEUED.dbName());
                p.setTimestamp(2, now);
                p.setString(3, OutboxState.CLAIMED.dbName());
                p.setString(4, OutboxState.SENDING.dbName());
                p.setTimestamp(5, now);
                p.setInt(6, r.limit());
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
                        out.add(new Claim(id, rs.getString(2), m, rs.getInt(4),
                                OutboxState.fromDb(rs.getString(5)) == OutboxState.SENDING, rs.getInt(6),
                                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), r.token()));
                    }
                }
            }
            if (out.isEmpty()) {
                return out;
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE " + messages + " SET state = CASE WHEN state = ?"
                    + " THEN state ELSE ? END, lease_owner = ?, lease_token = ?, lease_expires_at = ?, updated_at = ?"
                    + " WHERE id = ?")) {
                for (Claim cl : out) {
                    u.setString(1, OutboxState.SENDING.dbName());
                    u.setString(2, OutboxState.CLAIMED.dbName());
                    u.setString(3, r.worker());
                    u.setString(4, r.token());
                    u.setTimestamp(5, ts(r.leaseEnd()));
                    u.setTimestamp(6, now);
                    u.setLong(7, cl.id());
                    u.addBatch();
                }
                u.executeBatch();
            }
            return out;
        });
    }

    @Override
    public void release(List<Claim> claims, Instant now) {
        if (claims.isEmpty()) {
            return;
        }
        Timestamp at = ts(now);
        inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET state = CASE WHEN state = ?"
                    + " THEN ? ELSE state END, lease_owner = NULL, lease_token = NULL, lease_expires_at = CASE WHEN"
                    // typed: PostgreSQL reads an untyped parameter beside NULL in a CASE as text
                    + " state = ? THEN NULL ELSE CAST(? AS TIMESTAMP WITH TIME ZONE) END, updated_at = ?"
                    + " WHERE id = ? AND lease_token = ?")) {
                for (Claim cl : claims) {
                    p.setString(1, OutboxState.CLAIMED.dbName());
                    p.setString(2, OutboxState.QUEUED.dbName());
                    p.setString(3, OutboxState.CLAIMED.dbName());
                    p.setTimestamp(4, at);
                    p.setTimestamp(5, at);
                    p.setLong(6, cl.id());
                    p.setString(7, cl.token());
                    p.addBatch();
                }
                return p.executeBatch();
            }
        });
    }

    // ---- messages and events: attempts

    private static final String ATTEMPT_SET = " SET state = ?, attempts = ?, first_attempt_at = COALESCE(first_attempt_at,"
            + " ?), last_attempt_at = ?, lease_expires_at = ?, updated_at = ? WHERE id = ? AND lease_token = ?";

    @Override
    public boolean[] recordAttempts(List<Attempt> attempts) {
        boolean[] done = new boolean[attempts.size()];
        if (attempts.isEmpty()) {
            return done;
        }
        boolean anySettled = attempts.stream().anyMatch(Attempt::settledAbsent);
        if (!anySettled && dialect().updatesFeedInserts()) {
            // the common case, on every message's path: the lease check, the row's update and the history entry in
            // one statement; alone, it is atomic on its own (one round trip, no BEGIN/COMMIT)
            Work<int[]> work = c -> {
                try (PreparedStatement p = c.prepareStatement("WITH u AS (UPDATE " + messages + ATTEMPT_SET
                        + " RETURNING id) INSERT INTO " + events + " (message_id, at, kind, worker, attempt)"
                        + " SELECT id, ?, ?, ?, ? FROM u")) {
                    for (Attempt a : attempts) {
                        int i = bindAttempt(p, a);
                        p.setTimestamp(i, ts(a.at()));
                        p.setString(i + 1, EventKind.ATTEMPT.dbName());
                        p.setString(i + 2, a.worker());
                        p.setInt(i + 3, a.number());
                        p.addBatch();
                    }
                    return p.executeBatch();
                }
            };
            int[] n = attempts.size() == 1 ? inOneStatement(work) : inTransaction(work);
            for (int i = 0; i < n.length; i++) {
                done[i] = n[i] == 1;
            }
            return done;
        }
        return inTransaction(c -> {
            int[] n;
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + ATTEMPT_SET)) {
                for (Attempt a : attempts) {
                    bindAttempt(p, a);
                    p.addBatch();
                }
                n = p.executeBatch();
            }
            List<Event> entries = new ArrayList<>();
            for (int i = 0; i < n.length; i++) {
                Attempt a = attempts.get(i);
                done[i] = n[i] == 1;
                if (!done[i]) {
                    continue;
                }
                if (a.settledAbsent()) {
                    entries.add(new Event(a.claim().id(), null, a.at(), EventKind.SETTLED_ABSENT, a.worker(),
                            a.claim().attempts(), "not in Twilio's message log after the previous worker's lease"
                            + " expired; sending again"));
                }
                entries.add(new Event(a.claim().id(), null, a.at(), EventKind.ATTEMPT, a.worker(), a.number(), null));
            }
            insertEvents(c, entries);
            return done;
        });
    }

    private static int bindAttempt(PreparedStatement p, Attempt a) throws SQLException {
        Timestamp at = ts(a.at());
        p.setString(1, OutboxState.SENDING.dbName());
        p.setInt(2, a.number());
        p.setTimestamp(3, at);
        p.setTimestamp(4, at);
        p.setTimestamp(5, ts(a.leaseEnd()));
        p.setTimestamp(6, at);
        p.setLong(7, a.claim().id());
        p.setString(8, a.claim().token());
        return 9;
    }

    // ---- messages and events: outcomes

    private static final String FINISH_SQL = "UPDATE %s SET state = ?, sid = COALESCE(?, sid),"
            + " twilio_status = COALESCE(?, twilio_status), error_code = ?, error_message = ?, lease_owner = NULL,"
            + " lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND lease_token = ?";

    private static final String RETRY_SQL = "UPDATE %s SET state = ?, next_attempt_at = ?, error_code = ?,"
            + " error_message = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?"
            + " WHERE id = ? AND lease_token = ?";

    @Override
    public boolean[] writeOutcomes(List<Outcome> outcomes, String worker, Instant now) {
        return inTransaction(c -> writeAll(c, outcomes, worker, now));
    }

    @Override
    public Written writeOutcome(Outcome outcome, String worker, Instant now) {
        try {
            return inTransaction(c -> writeAll(c, List.of(outcome), worker, now))[0] ? Written.RECORDED : Written.LEASE_LOST;
        } catch (OutboxException e) {
            if (e.getCause() instanceof SQLException sql && Dialect.isDuplicate(sql)) {
                return Written.SID_TAKEN;
            }
            throw e;
        }
    }

    private boolean[] writeAll(Connection c, List<Outcome> outcomes, String worker, Instant now) throws SQLException {
        Timestamp at = ts(now);
        List<Integer> finishedAt = new ArrayList<>();
        List<Integer> retriedAt = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            if (o instanceof Outcome.Finished) {
                finishedAt.add(i);
            } else if (o instanceof Outcome.Retry) {
                retriedAt.add(i);
            } else {
                throw new IllegalArgumentException("only finished outcomes and retries are written, not " + o);
            }
        }
        boolean[] done = new boolean[outcomes.size()];
        updateRows(c, FINISH_SQL, finishedAt, done, (p, i) -> {
            Outcome.Finished f = (Outcome.Finished) outcomes.get(i);
            p.setString(1, f.state().dbName());
            setNullable(p, 2, f.sid().orElse(null));
            setNullable(p, 3, f.status().map(MessageStatus::twilioName).orElse(null));
            setInt(p, 4, f.code());
            setNullable(p, 5, f.error().map(JdbcOutboxStore::truncate).orElse(null));
            p.setTimestamp(6, at);
            p.setLong(7, f.claim().id());
            p.setString(8, f.claim().token());
        });
        updateRows(c, RETRY_SQL, retriedAt, done, (p, i) -> {
            Outcome.Retry r = (Outcome.Retry) outcomes.get(i);
            p.setString(1, OutboxState.QUEUED.dbName());
            p.setTimestamp(2, ts(now.plus(r.backoff())));
            setInt(p, 3, r.code());
            setNullable(p, 4, truncate(r.error()));
            p.setTimestamp(5, at);
            p.setLong(6, r.claim().id());
            p.setString(7, r.claim().token());
        });
        List<Event> entries = new ArrayList<>();
        List<Outcome.Finished> withSid = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (!done[i]) {
                continue;
            }
            if (outcomes.get(i) instanceof Outcome.Finished f) {
                entries.add(new Event(f.claim().id(), f.sid().orElse(null), now, f.event(), worker, f.attempt(),
                        f.detail()));
                if (f.sid().isPresent()) {
                    withSid.add(f);
                }
            } else {
                Outcome.Retry r = (Outcome.Retry) outcomes.get(i);
                entries.add(new Event(r.claim().id(), null, now, EventKind.RETRY, worker, r.attempt(),
                        "not sent; again in " + r.backoff().toMillis() + " ms: " + r.error()));
            }
        }
        insertEvents(c, entries);
        adoptCallbacks(c, withSid, now);
        return done;
    }

    /** Runs one conditional update per outcome of {@code indexes} as a JDBC batch; marks in {@code done} those it changed. */
    private void updateRows(Connection c, String sql, List<Integer> indexes, boolean[] done,
                            Dialect.Binder<Integer> binder) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(sql.replace("%s", messages))) {
            for (int i : indexes) {
                binder.bind(p, i);
                p.addBatch();
            }
            int[] n = p.executeBatch();
            for (int k = 0; k < n.length; k++) {
                if (n[k] < 0) { // a driver that does not count rows per statement: whether each lease held is unknown
                    throw new SQLException("the JDBC driver did not report a row count for each outcome of the batch");
                }
                done[indexes.get(k)] = n[k] == 1;
            }
        }
    }

    /** Status callbacks that arrived before their SID was recorded (rare): attach them, then apply the furthest. */
    private void adoptCallbacks(Connection c, List<Outcome.Finished> withSid, Instant now) throws SQLException {
        if (withSid.isEmpty()) {
            return;
        }
        int[] adopted;
        try (PreparedStatement p = c.prepareStatement("UPDATE " + events + " SET message_id = ? WHERE sid = ?"
                + " AND message_id IS NULL")) {
            for (Outcome.Finished f : withSid) {
                p.setLong(1, f.claim().id());
                p.setString(2, f.sid().orElseThrow());
                p.addBatch();
            }
            adopted = p.executeBatch();
        }
        for (int i = 0; i < withSid.size(); i++) {
            if (adopted[i] != 0) {
                Outcome.Finished f = withSid.get(i);
                applyFurthestStatus(c, f.claim().id(), f.status().orElse(null), now);
            }
        }
    }

    /** Sets the row's Twilio status to the furthest of {@code status} and its recorded status callbacks. */
    private void applyFurthestStatus(Connection c, long id, MessageStatus status, Instant now) throws SQLException {
        MessageStatus best = status;
        try (PreparedStatement p = c.prepareStatement("SELECT detail FROM " + events
                + " WHERE message_id = ? AND kind = ?")) {
            p.setLong(1, id);
            p.setString(2, EventKind.STATUS.dbName());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String d = rs.getString(1);
                    MessageStatus s = MessageStatus.fromTwilio(d == null ? "" : d.split(" ")[0]);
                    if (best == null || rank(s) > rank(best)) {
                        best = s;
                    }
                }
            }
        }
        if (best != null && best != status) {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET twilio_status = ?,"
                    + " updated_at = ? WHERE id = ?")) {
                p.setString(1, best.twilioName());
                p.setTimestamp(2, ts(now));
                p.setLong(3, id);
                p.executeUpdate();
            }
        }
    }

    /** One history entry to insert. */
    private record Event(Long messageId, String sid, Instant at, EventKind kind, String worker, Integer attempt,
                         String detail) {}

    private static final String EVENT_INSERT = "INSERT INTO %s (message_id, sid, at, kind, worker, attempt, detail,"
            + " dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bindEvent(PreparedStatement p, Event e, String dedupKey) throws SQLException {
        if (e.messageId() == null) {
            p.setNull(1, Types.BIGINT);
        } else {
            p.setLong(1, e.messageId());
        }
        setNullable(p, 2, e.sid());
        p.setTimestamp(3, ts(e.at()));
        p.setString(4, e.kind().dbName());
        setNullable(p, 5, e.worker());
        if (e.attempt() == null) {
            p.setNull(6, Types.INTEGER);
        } else {
            p.setInt(6, e.attempt());
        }
        setNullable(p, 7, e.detail() == null ? null : truncate(e.detail()));
        setNullable(p, 8, dedupKey);
    }

    private void insertEvents(Connection c, List<Event> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(EVENT_INSERT.replace("%s", events))) {
            for (Event e : entries) {
                bindEvent(p, e, null);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    // ---- the ledger

    @Override
    public Optional<OutboxRecord> find(Lookup by, Object value) {
        String where = switch (by) {
            case KEY -> "caller_key = ?";
            case SID -> "sid = ?";
            case ID -> "id = ?";
        };
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
                    history.add(new OutboxEvent(created, EventKind.ENQUEUED.dbName(), Optional.empty(),
                            OptionalInt.empty(), Optional.empty()));
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

    @Override
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

    @Override
    public Map<MessageStatus, Long> twilioStatusCounts(String batch) {
        return inTransaction(c -> {
            Map<MessageStatus, Long> out = new EnumMap<>(MessageStatus.class);
            try (PreparedStatement p = c.prepareStatement("SELECT twilio_status, COUNT(*) FROM " + messages
                    + " WHERE state = ?" + (batch == null ? "" : " AND batch = ?") + " GROUP BY twilio_status")) {
                p.setString(1, OutboxState.ACCEPTED.dbName());
                if (batch != null) {
                    p.setString(2, batch);
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

    @Override
    public boolean recordStatusCallback(StatusCallback callback, Instant now) {
        return inTransaction(c -> {
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
            Event e = new Event(id, callback.messageSid().value(), now, EventKind.STATUS, null, null, detail);
            if (dialect().insertSkippingDuplicates(c, EVENT_INSERT.replace("%s", events), "dedup_key", List.of(e),
                    (p, row) -> bindEvent(p, row, callback.deduplicationKey())) == 0) {
                return false;
            }
            if (id != null && advances(current, callback.status())) {
                try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET twilio_status = ?,"
                        + " error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message),"
                        + " updated_at = ? WHERE id = ?")) {
                    p.setString(1, callback.status().twilioName());
                    setInt(p, 2, callback.errorCode());
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

    // ---- retention

    @Override
    public int purge(Instant before) {
        Timestamp at = ts(before);
        String finished = " WHERE state IN (?, ?) AND updated_at < ?";
        return inTransaction(c -> {
            try (PreparedStatement ev = c.prepareStatement("DELETE FROM " + events + " WHERE message_id IN (SELECT id"
                    + " FROM " + messages + finished + ") OR (message_id IS NULL AND at < ?)")) {
                ev.setString(1, OutboxState.ACCEPTED.dbName());
                ev.setString(2, OutboxState.REJECTED.dbName());
                ev.setTimestamp(3, at);
                ev.setTimestamp(4, at);
                ev.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + messages + finished)) {
                p.setString(1, OutboxState.ACCEPTED.dbName());
                p.setString(2, OutboxState.REJECTED.dbName());
                p.setTimestamp(3, at);
                return p.executeUpdate();
            }
        });
    }

    // ---- transactions

    /** A unit of work on a connection of the store's own. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                return commit(c, work);
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Runs one statement that is atomic on its own: in auto-commit mode (one round trip, no
     * {@code BEGIN}/{@code COMMIT}) when the pool hands out such connections, else in a transaction.
     */
    <T> T inOneStatement(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return c.getAutoCommit() ? work.run(c) : commit(c, work);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static <T> T commit(Connection c, Work<T> work) throws SQLException {
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

    private OutboxException failed(SQLException e) {
        return new OutboxException("outbox database error (tables " + prefix + "outbox_*): " + e.getMessage()
                + missingTableHint(e), e);
    }

    private static String missingTableHint(SQLException e) {
        String state = e.getSQLState();
        return "42P01".equals(state) || "42S02".equals(state) || "42S01".equals(state)
                ? "; the outbox tables are missing: call Outbox.migrate() once at start-up" : "";
    }

    /** An instant as stored: whole milliseconds, so that what is written compares equal to what is asked. */
    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static Optional<Instant> instant(Timestamp t) {
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    private static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    private static void setInt(PreparedStatement p, int index, OptionalInt value) throws SQLException {
        if (value.isPresent()) {
            p.setInt(index, value.getAsInt());
        } else {
            p.setNull(index, Types.INTEGER);
        }
    }

    static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    @Override
    public String toString() {
        return "JdbcOutboxStore[" + prefix + "outbox_*]";
    }
}
