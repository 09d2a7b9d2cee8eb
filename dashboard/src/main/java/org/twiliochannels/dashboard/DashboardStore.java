package org.twiliochannels.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.outbox.OutboxState;

/**
 * Every statement of the dashboard: read-only queries on the outbox's tables
 * ({@code <prefix>outbox_message}, the consent ledger's tables), in one read-only transaction per
 * page. Which index each query uses is written beside it; no statement reads a table from end to
 * end on PostgreSQL (the counts per state, the same numbers as {@code Outbox.counts()}, count
 * partial indexes). Thread-safe.
 */
final class DashboardStore {
    /** Campaigns shown one by one in the funnel; the rest are added up in one row. */
    static final int MAX_FUNNEL_ROWS = 40;
    /** Messages that may have been sent listed on the page (their count is always shown). */
    static final int MAX_UNKNOWN = 50;
    /** The newest messages listed. */
    static final int MAX_RECENT = 25;
    /** Error codes listed. */
    static final int MAX_FAILURES = 30;
    /** Minutes of the day's chart. */
    static final int DAY_MINUTES = 1440;
    /** How far back the funnel and the failures go (by the rows' last change); open rows always count. */
    static final Duration WINDOW = Duration.ofHours(24);
    /** Days of the consent chart. */
    static final int CONSENT_DAYS = 30;
    /** Consent changes listed. */
    static final int MAX_CONSENT = 10;

    private final DataSource dataSource;
    private final String messages;
    private final String changes;
    private final String current;

    DashboardStore(DataSource dataSource, String prefix) {
        this.dataSource = dataSource;
        this.messages = prefix + "outbox_message";
        this.changes = prefix + "consent_change";
        this.current = prefix + "consent_current";
    }

    /** What differs between the outbox's two databases, for these queries. */
    enum Dialect {
        POSTGRESQL("CAST(FLOOR(EXTRACT(EPOCH FROM last_attempt_at) / 60) AS BIGINT)"),
        H2("CAST(FLOOR(EXTRACT(EPOCH FROM last_attempt_at) / 60) AS BIGINT)");

        /** The epoch minute of the accepted attempt. */
        final String attemptMinute;

        Dialect(String attemptMinute) {
            this.attemptMinute = attemptMinute;
        }

        static Dialect of(Connection c) throws SQLException {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("postgres") ? POSTGRESQL : H2;
        }
    }

    /** Reads everything the page shows, as of {@code now}, in one read-only transaction. */
    Snapshot read(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams the funnel's groups with a fetch size only in a transaction
            try {
                c.setReadOnly(true);
                Snapshot s = read(c, Dialect.of(c), now);
                c.commit();
                return s;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                try {
                    c.setReadOnly(false);
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) { // a broken connection: the pool discards it
                }
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private Snapshot read(Connection c, Dialect d, Instant now) throws SQLException {
        Map<OutboxState, Long> counts = counts(c);
        Aggregate window = aggregate(c, now.minus(WINDOW));
        return new Snapshot(now, counts, queue(c, now), throughput(c, d, now), WINDOW, window.funnels(),
                window.failures(), counts.get(OutboxState.UNKNOWN) == 0 ? List.of() : unknowns(c), recent(c),
                tableExists(c, changes) ? Optional.of(consent(c, now)) : Optional.empty());
    }

    // ---- the consent ledger (schema version 3): the index of changes by time (schema version 6), the current table

    private static boolean tableExists(Connection c, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The changes of the last {@link #CONSENT_DAYS} days by day (UTC), state and source: a range of the
     * index of changes by {@code at}; the opt-outs in force: a count of the current table.
     */
    private Snapshot.Consent consent(Connection c, Instant now) throws SQLException {
        long lastDay = Math.floorDiv(now.getEpochSecond(), 86_400);
        long firstDay = lastDay - CONSENT_DAYS + 1;
        Map<Long, Long> outs = new HashMap<>();
        Map<Long, Long> ins = new HashMap<>();
        Map<String, Long> outsBySource = new HashMap<>();
        Map<String, Long> insBySource = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(consentPerDaySql())) {
            p.setTimestamp(1, ts(Instant.ofEpochSecond(firstDay * 86_400)));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    boolean out = ConsentState.OPTED_OUT.name().equals(rs.getString(2));
                    long n = rs.getLong(4);
                    (out ? outs : ins).merge(rs.getLong(1), n, Long::sum);
                    (out ? outsBySource : insBySource).merge(rs.getString(3), n, Long::sum);
                }
            }
        }
        long optedOut;
        try (PreparedStatement p = c.prepareStatement(optedOutSql()); ResultSet rs = p.executeQuery()) {
            rs.next();
            optedOut = rs.getLong(1);
        }
        List<Snapshot.ConsentRow> newest = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT at, recipient, channel, state, source FROM " + changes
                + " ORDER BY id DESC LIMIT " + MAX_CONSENT); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                newest.add(new Snapshot.ConsentRow(rs.getTimestamp(1).toInstant(), masked(rs.getString(2)),
                        rs.getString(3), ConsentState.OPTED_OUT.name().equals(rs.getString(4)), rs.getString(5)));
            }
        }
        return new Snapshot.Consent(firstDay, outs, ins, outsBySource, insBySource, optedOut, newest);
    }

    /** Consent changes per UTC day, state and source kind since the one parameter. */
    String consentPerDaySql() {
        String day = "CAST(FLOOR(EXTRACT(EPOCH FROM at) / 86400) AS BIGINT)";
        return "SELECT " + day + ", state, source, COUNT(*) FROM " + changes + " WHERE at >= ? GROUP BY " + day
                + ", state, source";
    }

    /** The (scope, recipient) pairs opted out now. */
    String optedOutSql() {
        return "SELECT COUNT(*) FROM " + current + " WHERE state = '" + ConsentState.OPTED_OUT.name() + "'";
    }

    // ---- the counts per state: exact, the numbers of Outbox.counts()

    /**
     * Messages per state, every state present, exact (the numbers of {@code Outbox.counts()}), in
     * four parts that each count one of PostgreSQL's partial indexes without reading the table
     * (index-only scans, the table vacuumed): the finished states the index of finished rows by state
     * (schema version 6), queued rows the due index, claimed and sending rows the lease index,
     * unknown rows the index of unknown rows. H2 reads its indexes that lead with the state.
     */
    private Map<OutboxState, Long> counts(Connection c) throws SQLException {
        Map<OutboxState, Long> counts = new EnumMap<>(OutboxState.class);
        for (OutboxState s : OutboxState.values()) {
            counts.put(s, 0L);
        }
        try (PreparedStatement p = c.prepareStatement(countsSql()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                counts.merge(state(rs.getString(1)), rs.getLong(2), Long::sum);
            }
        }
        return counts;
    }

    /** Messages per state; each state is in exactly one part. */
    String countsSql() {
        return "SELECT state, COUNT(*) FROM " + messages + " WHERE state IN (" + finished() + ") GROUP BY state"
                + " UNION ALL SELECT " + literal(OutboxState.QUEUED) + ", COUNT(*) FROM " + messages + " WHERE state = "
                + literal(OutboxState.QUEUED)
                + " UNION ALL SELECT state, COUNT(*) FROM " + messages + " WHERE state IN (" + literal(OutboxState.CLAIMED)
                + ", " + literal(OutboxState.SENDING) + ") GROUP BY state"
                + " UNION ALL SELECT " + literal(OutboxState.UNKNOWN) + ", COUNT(*) FROM " + messages + " WHERE state = "
                + literal(OutboxState.UNKNOWN);
    }

    /** The finished states, in the order of the predicates of the outbox's partial indexes of finished rows. */
    private static String finished() {
        return literal(OutboxState.ACCEPTED) + ", " + literal(OutboxState.REJECTED) + ", "
                + literal(OutboxState.OPTED_OUT) + ", " + literal(OutboxState.CANCELED) + ", "
                + literal(OutboxState.DUPLICATE);
    }

    // ---- the funnel and failures by code: the messages changed in the window, and every open one

    /**
     * The messages finished in the window (a range of the index of finished rows by
     * {@code updated_at}) and every message not finished, whatever its age (queued: the due index;
     * claimed or sending: the lease index; unknown: the index of unknown rows), grouped by state,
     * channel, batch, Twilio status and error code. The groups are few and streamed.
     */
    private Aggregate aggregate(Connection c, Instant since) throws SQLException {
        Aggregate out = new Aggregate();
        try (PreparedStatement p = c.prepareStatement(windowSql())) {
            p.setTimestamp(1, ts(since));
            p.setFetchSize(1000);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(5);
                    OptionalInt errorCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
                    out.add(state(rs.getString(1)),
                            rs.getString(2), Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4))
                                    .map(MessageStatus::fromTwilio), errorCode, rs.getLong(6),
                            rs.getTimestamp(7).toInstant());
                }
            }
        }
        return out;
    }

    /**
     * The funnel's groups: the one parameter is the window's start. The states are literals, each
     * part's as in the predicate of its PostgreSQL partial index, so that each part is a range of it.
     */
    String windowSql() {
        String group = "SELECT state, channel, batch, twilio_status, error_code, COUNT(*), MAX(updated_at) FROM "
                + messages + " WHERE ";
        String by = " GROUP BY state, channel, batch, twilio_status, error_code";
        return group + "state IN (" + finished() + ") AND updated_at >= ?" + by
                + " UNION ALL " + group + "state = " + literal(OutboxState.QUEUED) + by
                + " UNION ALL " + group + "state IN (" + literal(OutboxState.CLAIMED) + ", "
                + literal(OutboxState.SENDING) + ")" + by
                + " UNION ALL " + group + "state = " + literal(OutboxState.UNKNOWN) + by;
    }

    /** Sums the groups of {@link #aggregate} into the funnel rows and failures. */
    private static final class Aggregate {
        final Map<List<Object>, long[]> funnel = new LinkedHashMap<>();
        final Map<OptionalInt, long[]> failures = new HashMap<>();
        final Map<OptionalInt, Instant> newest = new HashMap<>();

        // funnel columns: waiting, accepted, sent, delivered, read, undelivered, failed, rejected, unknown, skipped
        // failure columns: rejected, undelivered, retrying, unknown
        void add(OutboxState state, String channel, Optional<String> batch, Optional<MessageStatus> status,
                 OptionalInt code, long n, Instant updated) {
            long[] f = funnel.computeIfAbsent(List.of(channel, batch), k -> new long[10]);
            MessageStatus st = status.orElse(MessageStatus.UNKNOWN);
            switch (state) {
                case QUEUED, CLAIMED, SENDING -> f[0] += n;
                case ACCEPTED -> {
                    f[1] += n;
                    if (st == MessageStatus.SENT || st == MessageStatus.DELIVERED || st == MessageStatus.READ
                            || st == MessageStatus.UNDELIVERED || st == MessageStatus.PARTIALLY_DELIVERED) {
                        f[2] += n;
                    }
                    if (st == MessageStatus.DELIVERED || st == MessageStatus.READ) {
                        f[3] += n;
                    }
                    if (st == MessageStatus.READ) {
                        f[4] += n;
                    }
                    if (st == MessageStatus.UNDELIVERED) {
                        f[5] += n;
                    }
                    if (st == MessageStatus.FAILED) {
                        f[6] += n;
                    }
                }
                case REJECTED -> f[7] += n;
                case UNKNOWN -> f[8] += n;
                case OPTED_OUT, CANCELED, DUPLICATE -> f[9] += n;
            }
            int column = switch (state) {
                case REJECTED -> 0;
                case ACCEPTED -> st == MessageStatus.UNDELIVERED || st == MessageStatus.FAILED ? 1 : -1;
                case QUEUED -> code.isPresent() ? 2 : -1; // queued again after an error
                case UNKNOWN -> code.isPresent() ? 3 : -1; // listed in their own section
                default -> -1;
            };
            if (column >= 0) {
                failures.computeIfAbsent(code, k -> new long[4])[column] += n;
                newest.merge(code, updated, (a, b) -> a.isAfter(b) ? a : b);
            }
        }

        List<Snapshot.Funnel> funnels() {
            List<Snapshot.Funnel> rows = new ArrayList<>();
            funnel.forEach((key, f) -> rows.add(funnel((String) key.get(0), optional(key.get(1)), f)));
            rows.sort(Comparator.comparingLong(Snapshot.Funnel::total).reversed()
                    .thenComparing(Snapshot.Funnel::channel).thenComparing(r -> r.batch().orElse("")));
            if (rows.size() <= MAX_FUNNEL_ROWS) {
                return rows;
            }
            List<Snapshot.Funnel> kept = new ArrayList<>(rows.subList(0, MAX_FUNNEL_ROWS - 1));
            long[] rest = new long[10];
            for (Snapshot.Funnel r : rows.subList(MAX_FUNNEL_ROWS - 1, rows.size())) {
                long[] v = {r.waiting(), r.accepted(), r.sent(), r.delivered(), r.read(), r.undelivered(), r.failed(),
                        r.rejected(), r.unknown(), r.skipped()};
                for (int i = 0; i < rest.length; i++) {
                    rest[i] += v[i];
                }
            }
            kept.add(funnel("(other)", Optional.of((rows.size() - MAX_FUNNEL_ROWS + 1) + " more campaigns"), rest));
            return kept;
        }

        @SuppressWarnings("unchecked")
        private static Optional<String> optional(Object o) {
            return (Optional<String>) o;
        }

        private static Snapshot.Funnel funnel(String channel, Optional<String> batch, long[] f) {
            return new Snapshot.Funnel(channel, batch, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
        }

        List<Snapshot.Failure> failures() {
            List<Snapshot.Failure> out = new ArrayList<>();
            failures.forEach((code, f) -> out.add(new Snapshot.Failure(code, f[0], f[1], f[2], f[3], newest.get(code))));
            out.sort(Comparator.comparing(Snapshot.Failure::newest).reversed()
                    .thenComparing(f -> f.code().orElse(0)));
            return out.size() <= MAX_FAILURES ? out : out.subList(0, MAX_FAILURES);
        }
    }

    // ---- the queue: the due index (state, next_attempt_at) and the lease index (state, lease_expires_at)

    /**
     * Queued rows due and queued for later, each a range of the due index (PostgreSQL: the partial
     * index of queued rows by {@code next_attempt_at}; H2: {@code (state, next_attempt_at)}); expired
     * leases a range of the lease index. The states are literals so that PostgreSQL's plan can use
     * the partial indexes.
     */
    private Snapshot.Queue queue(Connection c, Instant now) throws SQLException {
        long[] due = new long[2];
        Optional<Instant> oldestDue = countQueued(c, dueSql(), now, due);
        long[] later = new long[2];
        Optional<Instant> nextLater = countQueued(c, laterSql(), now, later);
        long expired;
        try (PreparedStatement p = c.prepareStatement(expiredSql())) {
            p.setTimestamp(1, ts(now));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                expired = rs.getLong(1);
            }
        }
        return new Snapshot.Queue(due[0], due[1], oldestDue, later[0], later[1], nextLater, expired);
    }

    private String queuedSql() {
        return "SELECT COUNT(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), MIN(next_attempt_at) FROM " + messages
                + " WHERE state = " + literal(OutboxState.QUEUED);
    }

    /** Queued and due at the one parameter. */
    String dueSql() {
        return queuedSql() + " AND next_attempt_at <= ?";
    }

    /** Queued for after the one parameter. */
    String laterSql() {
        return queuedSql() + " AND next_attempt_at > ?";
    }

    /** Leases expired at the one parameter. */
    String expiredSql() {
        return "SELECT COUNT(*) FROM " + messages + " WHERE state IN (" + literal(OutboxState.CLAIMED) + ", "
                + literal(OutboxState.SENDING) + ") AND lease_expires_at <= ?";
    }

    private static Optional<Instant> countQueued(Connection c, String sql, Instant now, long[] out) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setTimestamp(1, ts(now));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                out[0] = rs.getLong(1);
                out[1] = rs.getLong(2);
                Timestamp t = rs.getTimestamp(3);
                return t == null ? Optional.empty() : Optional.of(t.toInstant());
            }
        }
    }

    // ---- throughput: the index of finished rows by updated_at

    /**
     * Accepted messages per minute of their accepted attempt, over the last day. A message
     * accepted in that day was last updated in it or later, so the rows are a range of the index of
     * finished rows by {@code updated_at} (PostgreSQL: the partial index of accepted and rejected
     * rows; H2: {@code updated_at}), not the table.
     */
    private Snapshot.Throughput throughput(Connection c, Dialect d, Instant now) throws SQLException {
        long lastMinute = now.getEpochSecond() / 60;
        long firstMinute = lastMinute - DAY_MINUTES + 1;
        Timestamp since = ts(Instant.ofEpochSecond(firstMinute * 60));
        Map<Long, Long> perMinute = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(throughputSql(d))) {
            p.setTimestamp(1, since);
            p.setTimestamp(2, since);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    perMinute.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return new Snapshot.Throughput(perMinute, firstMinute);
    }

    /** Accepted per minute: both parameters are the start of the day's chart. */
    String throughputSql(Dialect d) {
        return "SELECT " + d.attemptMinute + ", COUNT(*) FROM " + messages + " WHERE state = "
                + literal(OutboxState.ACCEPTED) + " AND updated_at >= ? AND last_attempt_at >= ? GROUP BY "
                + d.attemptMinute;
    }

    // ---- lists: unknown rows (asked only when there are some) and the newest rows (primary key)

    private List<Snapshot.Unknown> unknowns(Connection c) throws SQLException {
        List<Snapshot.Unknown> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(unknownSql())) {
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(7);
                    OptionalInt errorCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
                    Timestamp last = rs.getTimestamp(8);
                    out.add(new Snapshot.Unknown(rs.getLong(1), Optional.ofNullable(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), rs.getString(4), masked(rs.getString(5)),
                            rs.getInt(6), errorCode, Optional.ofNullable(last).map(Timestamp::toInstant),
                            rs.getTimestamp(9).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Unknown rows, newest first. Asked only when the counts found some; they are few (each needs a
     * person): PostgreSQL reads them from the partial index of unknown rows (schema version 6).
     */
    String unknownSql() {
        return "SELECT id, caller_key, batch, channel, recipient, attempts, error_code, last_attempt_at, updated_at FROM "
                + messages + " WHERE state = " + literal(OutboxState.UNKNOWN) + " ORDER BY updated_at DESC, id DESC"
                + " LIMIT " + MAX_UNKNOWN;
    }

    /** The newest rows by id: a backward scan of the primary key that stops at the limit. */
    String recentSql() {
        return "SELECT id, batch, channel, recipient, state, twilio_status, error_code, updated_at FROM " + messages
                + " ORDER BY id DESC LIMIT " + MAX_RECENT;
    }

    private List<Snapshot.Recent> recent(Connection c) throws SQLException {
        List<Snapshot.Recent> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(recentSql())) {
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt(7);
                    OptionalInt errorCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
                    out.add(new Snapshot.Recent(rs.getLong(1), Optional.ofNullable(rs.getString(2)), rs.getString(3),
                            masked(rs.getString(4)), state(rs.getString(5)),
                            Optional.ofNullable(rs.getString(6)), errorCode, rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /** A recipient as everywhere in the library: country code and last four digits, the middle hidden. */
    static String masked(String recipient) {
        try {
            return Address.parse(recipient).masked();
        } catch (IllegalArgumentException e) {
            return "***";
        }
    }

    /** A state from its stored name ({@code "opted-out"}: {@link OutboxState#OPTED_OUT}). */
    private static OutboxState state(String dbName) {
        return OutboxState.valueOf(dbName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static String literal(OutboxState s) {
        return "'" + s.dbName() + "'";
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
