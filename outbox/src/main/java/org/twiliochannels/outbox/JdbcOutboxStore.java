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
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.core.schedule.ContentFingerprint;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * The outbox's statements on PostgreSQL or H2, over plain JDBC on the {@link DataSource} given;
 * what differs between the two is asked of the {@link Dialect}, found on first use. Tables:
 * {@code <prefix>outbox_message} (one row per message), {@code <prefix>outbox_event} (its history
 * and status callbacks), {@code <prefix>outbox_schema} (applied versions) and
 * {@code <prefix>rate_bucket} (Bucket4j's, on PostgreSQL); the consent tables through
 * {@link ConsentSql}, changes by key and the claim's checks through {@link ScheduleSql}, the claims
 * by account through {@link AccountSql}. Thread-safe.
 */
final class JdbcOutboxStore implements OutboxStore {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    /**
     * The schema versions, in order: files {@code schema/<name>.sql} beside this class, or one per
     * dialect ({@code schema/<name>.postgresql.sql}, {@code schema/<name>.h2.sql}); a new version is
     * added here.
     */
    static final List<String> VERSIONS = List.of("V1__outbox", "V2__due_indexes", "V3__consent_schedule",
            "V4__conversations", "V5__accounts", "V6__dashboard_indexes");

    /** The most finished messages one purge transaction deletes. */
    static final int PURGE_BATCH = 5000;

    private final DataSource dataSource;
    private final String prefix;
    private final String messages;
    private final String events;
    private final ConsentSql consent;
    private final ScheduleSql schedule;
    private final AccountSql accounts;
    private volatile Dialect dialect;
    private volatile RateBuckets buckets;
    private final JdbcConversationStore conversations;

    JdbcOutboxStore(DataSource dataSource, String prefix) {
        this.dataSource = dataSource;
        this.prefix = prefix;
        this.messages = prefix + "outbox_message";
        this.events = prefix + "outbox_event";
        this.conversations = new JdbcConversationStore(dataSource, prefix, this::dialect, this);
        this.consent = new ConsentSql(this, prefix);
        this.schedule = new ScheduleSql(this, prefix);
        this.accounts = new AccountSql(prefix);
    }

    @Override
    public ConversationStore conversations() {
        return conversations;
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
            return transaction(c, conn -> migrate(conn, d));
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
                for (String sql : statements(read(name, d), prefix)) {
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

    /**
     * The text of version {@code name} for {@code d}: the common file, then its dialect's own, each
     * optional but not both.
     */
    static String read(String name, Dialect d) {
        String own = "schema/" + name + "." + d.name().toLowerCase(java.util.Locale.ROOT) + ".sql";
        String common = "schema/" + name + ".sql";
        String text = resource(common) + resource(own);
        if (text.isEmpty()) {
            throw new IllegalStateException("schema file " + common + " (or " + own + ") is missing from the"
                    + " outbox jar");
        }
        return text;
    }

    private static String resource(String path) {
        try (InputStream in = JdbcOutboxStore.class.getResourceAsStream(path)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The statements of a file: comments dropped, split at semicolons that end a line, the prefix
     * and the states' names ({@code ${state.queued}}: {@code 'queued'}) filled in.
     */
    static List<String> statements(String text, String prefix) {
        for (OutboxState s : OutboxState.values()) {
            text = text.replace("${state." + s.dbName() + "}", quoted(s));
        }
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
                + " attempts, next_attempt_at, created_at, updated_at, category, time_zone, fingerprint, account_sid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)";
        try {
            Dialect d = dialect != null ? dialect : Dialect.of(connection);
            if (d.bulkStatements()) {
                return enqueueInOneStatement(connection, batch, now);
            }
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
                p.setString(11, m.category().name());
                setNullable(p, 12, m.timeZone().map(java.time.ZoneId::getId).orElse(null));
                p.setString(13, ContentFingerprint.of(msg));
                setNullable(p, 14, m.account().map(AccountSid::value).orElse(null));
            });
        } catch (SQLException e) {
            throw new OutboxException("could not enqueue " + batch.size() + " message(s) into " + messages + ": "
                    + e.getMessage() + missingTableHint(e), e);
        }
    }

    /** PostgreSQL: the whole batch in one statement, its rows spread from array parameters; one round trip. */
    private int enqueueInOneStatement(Connection c, List<OutboxMessage> batch, Instant now) throws SQLException {
        int n = batch.size();
        String[] keys = new String[n];
        String[] batches = new String[n];
        String[] channels = new String[n];
        String[] recipients = new String[n];
        String[] contents = new String[n];
        Integer[] segments = new Integer[n];
        String[] due = new String[n];
        String[] categories = new String[n];
        String[] zones = new String[n];
        String[] prints = new String[n];
        String[] accounts = new String[n];
        for (int i = 0; i < n; i++) {
            OutboxMessage m = batch.get(i);
            Message msg = m.message();
            keys[i] = m.key().orElse(null);
            batches[i] = m.batch().orElse(null);
            channels[i] = m.channel();
            recipients[i] = msg.to().value();
            contents[i] = MessageCodec.write(msg);
            segments[i] = MessageCodec.segments(m.channel(), msg);
            due[i] = m.notBefore().map(JdbcOutboxStore::text).orElse(null); // null: due now, one parameter for all
            categories[i] = m.category().name();
            zones[i] = m.timeZone().map(java.time.ZoneId::getId).orElse(null);
            prints[i] = ContentFingerprint.of(msg);
            accounts[i] = m.account().map(AccountSid::value).orElse(null);
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + messages + " (caller_key, batch, channel,"
                + " recipient, content, segments, state, attempts, next_attempt_at, created_at, updated_at, category,"
                + " time_zone, fingerprint, account_sid)"
                + " SELECT k, b, ch, r, ct, sg, ?, 0, COALESCE(CAST(d AS TIMESTAMP WITH TIME ZONE), ?), ?, ?, cat, tz, fp,"
                + " acc FROM unnest("
                + "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"
                + " CAST(? AS INTEGER[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"
                + " CAST(? AS TEXT[])) AS v(k, b, ch, r, ct, sg, d, cat, tz, fp, acc)"
                + " ON CONFLICT (caller_key) DO NOTHING")) {
            Timestamp at = ts(now);
            p.setString(1, OutboxState.QUEUED.dbName());
            p.setTimestamp(2, at);
            p.setTimestamp(3, at);
            p.setTimestamp(4, at);
            p.setArray(5, c.createArrayOf("text", keys));
            p.setArray(6, c.createArrayOf("text", batches));
            p.setArray(7, c.createArrayOf("text", channels));
            p.setArray(8, c.createArrayOf("text", recipients));
            p.setArray(9, c.createArrayOf("text", contents));
            p.setArray(10, c.createArrayOf("integer", segments));
            p.setArray(11, c.createArrayOf("text", due));
            p.setArray(12, c.createArrayOf("text", categories));
            p.setArray(13, c.createArrayOf("text", zones));
            p.setArray(14, c.createArrayOf("text", prints));
            p.setArray(15, c.createArrayOf("text", accounts));
            return p.executeUpdate();
        }
    }

    @Override
    public int enqueue(List<OutboxMessage> batch, Instant now) {
        return inTransaction(c -> enqueue(c, batch, now));
    }

    // ---- messages: claims and leases

    /** The rows a claim takes, oldest due first: {@link #bindDue} sets its parameters. */
    private String dueRows(ClaimRequest r) {
        return " FROM " + messages + " WHERE ((state = ? AND next_attempt_at <= ?) OR (state IN (?, ?) AND"
                + " lease_expires_at <= ?))" + accounts.only(r.accounts())
                + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    /**
     * A state as an SQL literal (from the enum, never typed), where a partial index or a plan must
     * see the value itself rather than a parameter.
     */
    private static String quoted(OutboxState state) {
        return "'" + state.dbName() + "'";
    }

    private static void bindDue(PreparedStatement p, int from, ClaimRequest r) throws SQLException {
        Timestamp now = ts(r.now());
        p.setString(from, OutboxState.QUEUED.dbName());
        p.setTimestamp(from + 1, now);
        p.setString(from + 2, OutboxState.CLAIMED.dbName());
        p.setString(from + 3, OutboxState.SENDING.dbName());
        p.setTimestamp(from + 4, now);
        int next = from + 5;
        if (r.accounts().only().isPresent()) {
            p.setString(next++, r.accounts().only().get().value());
        }
        p.setInt(next, r.limit());
    }

    /** The columns a claim reads, in {@link #readClaim}'s order. */
    static final String CLAIM_COLUMNS = "id, channel, content, segments, state, attempts, first_attempt_at,"
            + " lease_expires_at, category, time_zone, fingerprint, account_sid";

    /**
     * The claim of the row at {@code rs} (columns id, channel, content, segments, previous state,
     * attempts, first attempt, previous lease expiry, category, time zone, fingerprint, account);
     * empty when its message cannot be read.
     */
    private static Optional<Claim> readClaim(ResultSet rs, String token) throws SQLException {
        long id = rs.getLong(1);
        Message m;
        try {
            m = MessageCodec.read(rs.getString(3));
        } catch (RuntimeException e) {
            LOG.warn("outbox message {} cannot be read ({}); it is skipped", id, e.getMessage());
            return Optional.empty();
        }
        String category = rs.getString(9);
        String zone = rs.getString(10);
        return Optional.of(new Claim(id, rs.getString(2), m, rs.getInt(4),
                OutboxState.fromDb(rs.getString(5)) == OutboxState.SENDING, rs.getInt(6),
                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), token,
                category == null ? MessageCategory.TRANSACTIONAL : MessageCategory.valueOf(category),
                Optional.ofNullable(zone).map(java.time.ZoneId::of), Optional.ofNullable(rs.getString(11)),
                Optional.ofNullable(rs.getString(12)).map(AccountSid::of)));
    }

    @Override
    public List<Claim> claim(ClaimRequest r) {
        Timestamp now = ts(r.now());
        if (r.accounts().fair()) {
            return inTransaction(c -> lease(c, accounts.claimFair(c, r), r));
        }
        if (dialect().bulkStatements()) {
            return inOneStatement(c -> claimInOneStatement(c, r));
        }
        return inTransaction(c -> {
            List<Claim> out;
            try (PreparedStatement p = c.prepareStatement("SELECT " + CLAIM_COLUMNS + dueRows(r))) {
                bindDue(p, 1, r);
                try (ResultSet rs = p.executeQuery()) {
                    out = readClaims(rs, r.token());
                }
            }
            return lease(c, out, r);
        });
    }

    /** Reads the claims of {@code rs} (columns {@link #CLAIM_COLUMNS}); those that cannot be read are skipped. */
    static List<Claim> readClaims(ResultSet rs, String token) throws SQLException {
        List<Claim> out = new ArrayList<>();
        while (rs.next()) {
            readClaim(rs, token).ifPresent(out::add);
        }
        return out;
    }

    /** Puts the rows of {@code out}, locked by the caller's transaction, under the claim's lease; returns them. */
    private List<Claim> lease(Connection c, List<Claim> out, ClaimRequest r) throws SQLException {
        Timestamp now = ts(r.now());
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
    }

    /**
     * PostgreSQL: the due rows locked, leased and read back in one statement (atomic on its own):
     * rows whose lease expired first, then queued rows due, each taken by an ordered index scan that
     * stops at the limit ({@code WITH … FOR UPDATE SKIP LOCKED}, {@code UPDATE … FROM … RETURNING}), the
     * previous state and lease expiry read before the update. One condition with {@code OR} over both
     * kinds would read and sort every due row at each claim: 17 ms for 40,000 queued rows, against
     * 0.2 ms so.
     */
    private List<Claim> claimInOneStatement(Connection c, ClaimRequest r) throws SQLException {
        Timestamp now = ts(r.now());
        record Row(Instant due, Claim claim) {}
        List<Row> rows = new ArrayList<>();
        String columns = "SELECT id, state AS was, lease_expires_at AS expired FROM " + messages;
        String only = accounts.only(r.accounts());
        try (PreparedStatement p = c.prepareStatement("WITH expired AS (" + columns + " WHERE state IN ("
                + quoted(OutboxState.CLAIMED) + ", " + quoted(OutboxState.SENDING) + ") AND lease_expires_at <= ?"
                + only + " ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED), queued AS (" + columns
                + " WHERE state = " + quoted(OutboxState.QUEUED) + " AND next_attempt_at <= ?" + only
                + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + messages + " m SET state = CASE WHEN due.was = ?"
                + " THEN due.was ELSE ? END, lease_owner = ?, lease_token = ?, lease_expires_at = ?, updated_at = ?"
                + " FROM (SELECT * FROM expired UNION ALL SELECT * FROM queued LIMIT ?) due WHERE m.id = due.id"
                + " RETURNING m.id, m.channel, m.content, m.segments, due.was, m.attempts, m.first_attempt_at,"
                + " due.expired, m.category, m.time_zone, m.fingerprint, m.account_sid, m.next_attempt_at")) {
            int i = 1;
            for (int kind = 0; kind < 2; kind++) {
                p.setTimestamp(i++, now);
                if (r.accounts().only().isPresent()) {
                    p.setString(i++, r.accounts().only().get().value());
                }
                p.setInt(i++, r.limit());
            }
            p.setString(i++, OutboxState.SENDING.dbName());
            p.setString(i++, OutboxState.CLAIMED.dbName());
            p.setString(i++, r.worker());
            p.setString(i++, r.token());
            p.setTimestamp(i++, ts(r.leaseEnd()));
            p.setTimestamp(i++, now);
            p.setInt(i, r.limit());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) { // one that cannot be read stays leased, never sent, and is taken again later
                    Instant due = rs.getTimestamp(13).toInstant();
                    readClaim(rs, r.token()).ifPresent(claim -> rows.add(new Row(due, claim)));
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(Row::due).thenComparingLong(row -> row.claim().id()));
        return rows.stream().map(Row::claim).toList();
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
        if (!anySettled && dialect().bulkStatements() && distinctRows(attempts.stream().map(Attempt::claim).toList())
                && attempts.stream().map(Attempt::worker).distinct().count() == 1) {
            // the common case, on every message's path: the lease check, the rows' update and the history entries
            // of the whole group in one statement, atomic on its own (one round trip, no BEGIN/COMMIT)
            return inOneStatement(c -> attemptsInOneStatement(c, attempts));
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

    /** PostgreSQL: a group of attempts, their leases checked, rows updated and history entries added, in one statement. */
    private boolean[] attemptsInOneStatement(Connection c, List<Attempt> attempts) throws SQLException {
        int n = attempts.size();
        Long[] ids = new Long[n];
        String[] tokens = new String[n];
        Integer[] numbers = new Integer[n];
        String[] at = new String[n];
        String[] leaseEnd = new String[n];
        for (int i = 0; i < n; i++) {
            Attempt a = attempts.get(i);
            ids[i] = a.claim().id();
            tokens[i] = a.claim().token();
            numbers[i] = a.number();
            at[i] = text(a.at());
            leaseEnd[i] = text(a.leaseEnd());
        }
        Map<Long, Integer> index = indexById(attempts.stream().map(Attempt::claim).toList());
        boolean[] done = new boolean[n];
        try (PreparedStatement p = c.prepareStatement("WITH v AS (SELECT id, token, number,"
                + " CAST(at AS TIMESTAMP WITH TIME ZONE) AS at, CAST(lease_end AS TIMESTAMP WITH TIME ZONE) AS lease_end"
                + " FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS INTEGER[]), CAST(? AS TEXT[]),"
                + " CAST(? AS TEXT[])) AS x(id, token, number, at, lease_end)),"
                + " u AS (UPDATE " + messages + " m SET state = ?, attempts = v.number, first_attempt_at ="
                + " COALESCE(m.first_attempt_at, v.at), last_attempt_at = v.at, lease_expires_at = v.lease_end,"
                + " updated_at = v.at FROM v WHERE m.id = v.id AND m.lease_token = v.token RETURNING m.id, v.at, v.number)"
                + " INSERT INTO " + events + " (message_id, at, kind, worker, attempt) SELECT id, at, ?, ?, number FROM u"
                + " RETURNING message_id")) {
            p.setArray(1, c.createArrayOf("bigint", ids));
            p.setArray(2, c.createArrayOf("text", tokens));
            p.setArray(3, c.createArrayOf("integer", numbers));
            p.setArray(4, c.createArrayOf("text", at));
            p.setArray(5, c.createArrayOf("text", leaseEnd));
            p.setString(6, OutboxState.SENDING.dbName());
            p.setString(7, EventKind.ATTEMPT.dbName());
            p.setString(8, attempts.get(0).worker());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    done[index.get(rs.getLong(1))] = true;
                }
            }
        }
        return done;
    }

    /** True when no two claims are of the same row (then a returned id names one of them). */
    private static boolean distinctRows(List<Claim> claims) {
        return claims.stream().map(Claim::id).distinct().count() == claims.size();
    }

    private static Map<Long, Integer> indexById(List<Claim> claims) {
        Map<Long, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            index.put(claims.get(i).id(), i);
        }
        return index;
    }

    /** An instant as a text parameter cast by PostgreSQL (ISO 8601, whole milliseconds, as {@link #ts}). */
    private static String text(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
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

    /** A retry: queued again; its attempt counted (recorded before the request, or refused before any: its account was unavailable). */
    private static final String RETRY_SQL = "UPDATE %s SET state = ?, next_attempt_at = ?, error_code = ?,"
            + " error_message = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ?,"
            + " attempts = ? WHERE id = ? AND lease_token = ?";

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
        boolean bulk = dialect().bulkStatements() && !finishedAt.isEmpty()
                && distinctRows(finishedAt.stream().map(i -> outcomes.get(i).claim()).toList());
        if (bulk) {
            finishInOneStatement(c, outcomes, finishedAt, done, worker, now);
            finishedAt = List.of(); // and their history entries are written
        }
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
            p.setInt(6, r.attempt());
            p.setLong(7, r.claim().id());
            p.setString(8, r.claim().token());
        });
        List<Event> entries = new ArrayList<>();
        List<Outcome.Finished> withSid = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (!done[i]) {
                continue;
            }
            if (outcomes.get(i) instanceof Outcome.Finished f) {
                if (!bulk) {
                    entries.add(new Event(f.claim().id(), f.sid().orElse(null), now, f.event(), worker, f.attempt(),
                            f.detail()));
                }
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

    /**
     * PostgreSQL: the finished outcomes of {@code indexes}, each only where its token is on the row,
     * with their history entries, in one statement; marks in {@code done} those it recorded.
     */
    private void finishInOneStatement(Connection c, List<Outcome> outcomes, List<Integer> indexes, boolean[] done,
                                      String worker, Instant now) throws SQLException {
        int n = indexes.size();
        Long[] ids = new Long[n];
        String[] tokens = new String[n];
        String[] states = new String[n];
        String[] sids = new String[n];
        String[] statuses = new String[n];
        Integer[] codes = new Integer[n];
        String[] errors = new String[n];
        String[] kinds = new String[n];
        Integer[] attempts = new Integer[n];
        String[] details = new String[n];
        for (int k = 0; k < n; k++) {
            Outcome.Finished f = (Outcome.Finished) outcomes.get(indexes.get(k));
            ids[k] = f.claim().id();
            tokens[k] = f.claim().token();
            states[k] = f.state().dbName();
            sids[k] = f.sid().orElse(null);
            statuses[k] = f.status().map(MessageStatus::twilioName).orElse(null);
            codes[k] = f.code().isPresent() ? f.code().getAsInt() : null;
            errors[k] = f.error().map(JdbcOutboxStore::truncate).orElse(null);
            kinds[k] = f.event().dbName();
            attempts[k] = f.attempt();
            details[k] = truncate(f.detail());
        }
        Map<Long, Integer> index = new java.util.HashMap<>();
        for (int k = 0; k < n; k++) {
            index.put(ids[k], indexes.get(k));
        }
        Timestamp at = ts(now);
        try (PreparedStatement p = c.prepareStatement("WITH v AS (SELECT * FROM unnest(CAST(? AS BIGINT[]),"
                + " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INTEGER[]),"
                + " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INTEGER[]), CAST(? AS TEXT[]))"
                + " AS x(id, token, state, sid, status, code, error, kind, attempt, detail)),"
                + " u AS (UPDATE " + messages + " m SET state = v.state, sid = COALESCE(v.sid, m.sid), twilio_status ="
                + " COALESCE(v.status, m.twilio_status), error_code = v.code, error_message = v.error, lease_owner = NULL,"
                + " lease_token = NULL, lease_expires_at = NULL, updated_at = ? FROM v WHERE m.id = v.id"
                + " AND m.lease_token = v.token RETURNING m.id, v.sid, v.kind, v.attempt, v.detail)"
                + " INSERT INTO " + events + " (message_id, sid, at, kind, worker, attempt, detail)"
                + " SELECT id, sid, ?, kind, ?, attempt, detail FROM u RETURNING message_id")) {
            p.setArray(1, c.createArrayOf("bigint", ids));
            p.setArray(2, c.createArrayOf("text", tokens));
            p.setArray(3, c.createArrayOf("text", states));
            p.setArray(4, c.createArrayOf("text", sids));
            p.setArray(5, c.createArrayOf("text", statuses));
            p.setArray(6, c.createArrayOf("integer", codes));
            p.setArray(7, c.createArrayOf("text", errors));
            p.setArray(8, c.createArrayOf("text", kinds));
            p.setArray(9, c.createArrayOf("integer", attempts));
            p.setArray(10, c.createArrayOf("text", details));
            p.setTimestamp(11, at);
            p.setTimestamp(12, at);
            p.setString(13, worker);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    done[index.get(rs.getLong(1))] = true;
                }
            }
        }
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
        if (dialect().bulkStatements()) {
            Long[] ids = withSid.stream().map(f -> f.claim().id()).toArray(Long[]::new);
            String[] sids = withSid.stream().map(f -> f.sid().orElseThrow()).toArray(String[]::new);
            java.util.Set<Long> adopted = new java.util.HashSet<>();
            try (PreparedStatement p = c.prepareStatement("UPDATE " + events + " e SET message_id = v.id FROM unnest("
                    + "CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS v(id, sid) WHERE e.sid = v.sid AND e.message_id IS NULL"
                    + " RETURNING e.message_id")) {
                p.setArray(1, c.createArrayOf("bigint", ids));
                p.setArray(2, c.createArrayOf("text", sids));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        adopted.add(rs.getLong(1));
                    }
                }
            }
            for (Outcome.Finished f : withSid) {
                if (adopted.contains(f.claim().id())) {
                    applyFurthestStatus(c, f.claim().id(), f.status().orElse(null), now);
                }
            }
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
    record Event(Long messageId, String sid, Instant at, EventKind kind, String worker, Integer attempt,
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

    void insertEvents(Connection c, List<Event> entries) throws SQLException {
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
                    + " sid, twilio_status, error_code, error_message, created_at, updated_at, category, time_zone,"
                    + " next_attempt_at FROM " + messages
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
                            Optional.ofNullable(rs.getString(11)), created, rs.getTimestamp(13).toInstant(), history,
                            rs.getString(14) == null ? MessageCategory.TRANSACTIONAL : MessageCategory.valueOf(rs.getString(14)),
                            Optional.ofNullable(rs.getString(15)).map(java.time.ZoneId::of),
                            rs.getTimestamp(16).toInstant()));
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
        return purge(before, PURGE_BATCH);
    }

    /** Purges in transactions of at most {@code batch} finished messages each. */
    int purge(Instant before, int batch) {
        Timestamp at = ts(before);
        int total = 0;
        for (int n = batch; n == batch; total += n) {
            // a transaction per batch: locks held briefly, however many rows are due; history goes by cascade
            n = inTransaction(c -> {
                // the ids first: H2 may evaluate a subquery with LIMIT again while deleting
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + messages + " WHERE state IN ("
                        + quoted(OutboxState.ACCEPTED) + ", " + quoted(OutboxState.REJECTED) + ", "
                        + quoted(OutboxState.OPTED_OUT) + ", " + quoted(OutboxState.CANCELED) + ", "
                        + quoted(OutboxState.DUPLICATE) + ") AND updated_at < ?"
                        + " ORDER BY updated_at LIMIT ?")) {
                    p.setTimestamp(1, at);
                    p.setInt(2, batch);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + messages + " WHERE id = ?")) {
                    for (long id : ids) {
                        p.setLong(1, id);
                        p.addBatch();
                    }
                    if (!ids.isEmpty()) {
                        p.executeBatch();
                    }
                }
                return ids.size();
            });
        }
        inTransaction(c -> {
            try (PreparedStatement ev = c.prepareStatement("DELETE FROM " + events
                    + " WHERE message_id IS NULL AND at < ?")) {
                ev.setTimestamp(1, at);
                return ev.executeUpdate();
            }
        });
        return total;
    }

    // ---- consent: ConsentSql

    @Override
    public void recordConsent(ConsentChange change) {
        consent.record(change);
    }

    @Override
    public Optional<ConsentChange> consentInForce(ConsentScope scope, Address recipient) {
        return consent.inForce(scope, recipient);
    }

    @Override
    public List<ConsentChange> consentHistory(Address recipient) {
        return consent.history(recipient);
    }

    @Override
    public List<ConsentChange> consentCurrent() {
        return consent.current();
    }

    @Override
    public List<ConsentChange> consentChanges() {
        return consent.changes();
    }

    @Override
    public Map<ConsentKey, Instant> optedOut(Collection<ConsentKey> keys) {
        return consent.optedOut(keys);
    }

    // ---- messages by key, and the claim's checks: ScheduleSql

    @Override
    public Optional<KeyedChange> cancel(String key, Instant now) {
        return schedule.cancel(key, now);
    }

    @Override
    public Optional<KeyedChange> reschedule(String key, Instant due, Instant now) {
        return schedule.reschedule(key, due, now);
    }

    @Override
    public boolean[] divert(List<Diversion> diversions, String worker, Instant now) {
        return schedule.divert(diversions, worker, now);
    }

    @Override
    public boolean[] checkRecent(List<Claim> claims, Instant since, Instant now,
                                 Function<List<Recent>, boolean[]> judge) {
        return schedule.checkRecent(claims, since, now, judge);
    }

    // ---- transactions

    /** A unit of work on a connection of the store's own. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction on a connection taken from the pool for it alone (so that a
     * connection broken by a database restart costs one unit of work, and the next takes a fresh one).
     */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, work);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs {@code work} in a transaction on {@code c}, then gives {@code c} its auto-commit mode back. */
    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        T result;
        try {
            result = commit(c, work);
        } catch (SQLException | RuntimeException e) {
            restore(c, auto, e);
            throw e;
        }
        c.setAutoCommit(auto);
        return result;
    }

    /** Gives the connection its auto-commit mode back after a failure, which stays the one reported. */
    private static void restore(Connection c, boolean auto, Exception failure) {
        try {
            c.setAutoCommit(auto);
        } catch (SQLException | RuntimeException suppressed) { // a broken connection: the pool discards it
            failure.addSuppressed(suppressed);
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

    OutboxException failed(SQLException e) {
        String message = "outbox database error (tables " + prefix + "outbox_*): " + e.getMessage();
        return DatabaseGate.isUnreachable(e) ? new OutboxUnavailableException(message + "; try again once the"
                + " database is back", e) : new OutboxException(message + missingTableHint(e), e);
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

    static Optional<Instant> instant(Timestamp t) {
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
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
