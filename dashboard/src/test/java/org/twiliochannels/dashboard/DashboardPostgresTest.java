package org.twiliochannels.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxState;

/**
 * The page on PostgreSQL: the same numbers as {@code Outbox.counts()} for a real run, and plans
 * that use the outbox's indexes on a table of many finished rows.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DashboardPostgresTest {
    /** Rows of the large table: {@code -Ddashboard.rows=10000000} for the scale note of docs/dashboard.md. */
    static final int ROWS = Integer.getInteger("dashboard.rows", 200_000);

    static EmbeddedPostgres postgres;
    static DataSource db;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start();
        db = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void theNumbersOfARealRunAreTheOutboxs() throws SQLException {
        Outbox outbox = Campaign.run(db, "run_");
        Snapshot s = new DashboardStore(db, "run_").read(Instant.now());
        assertEquals(outbox.counts(), s.counts());
        assertEquals(outbox.counts().get(OutboxState.ACCEPTED),
                s.throughput().perMinute().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(1, s.unknowns().size());
        assertEquals(5, s.queue().later());
        Ledger.assertSame(outbox.consentLedger(), s.consent().orElseThrow(), Instant.now());
        assertEquals(5, s.consent().orElseThrow().optedOut());
        assertTrue(Dashboard.builder(db).tablePrefix("run_").build().page()
                .contains("id=\"count-accepted\" data-value=\"" + outbox.counts().get(OutboxState.ACCEPTED) + "\""));
    }

    @Test
    void theQueriesUseTheOutboxsIndexes() throws SQLException {
        Outbox outbox = Outbox.builder(db).tablePrefix("big_").build();
        outbox.migrate();
        Instant now = Instant.now();
        fill(now);
        DashboardStore store = new DashboardStore(db, "big_");
        Timestamp at = Timestamp.from(now);
        Timestamp dayAgo = Timestamp.from(now.minusSeconds(86_400));
        assertUsesIndex(store.dueSql(), "big_outbox_message_due", at);
        assertUsesIndex(store.laterSql(), "big_outbox_message_due", at);
        assertUsesIndex(store.expiredSql(), "big_outbox_message_lease", at);
        assertUsesIndex(store.throughputSql(DashboardStore.Dialect.POSTGRESQL), "big_outbox_message_finished",
                dayAgo, dayAgo);
        assertUsesIndex(store.recentSql(), "big_outbox_message_pkey");
        // the finished states: PostgreSQL counts their index from about a million rows (2,000,000 checked with
        // -Ddashboard.rows); below, most of a small table is cheaper for it to read whole
        String counts = plan(store.countsSql());
        if (ROWS >= 1_000_000) {
            assertUsesIndex(store.countsSql(), "Index Only Scan using big_outbox_message_finished_state");
        }
        for (String index : new String[] {"due", "unknown"}) {
            assertTrue(counts.contains("Index Only Scan using big_outbox_message_" + index), index + ":\n" + counts);
        }
        assertTrue(counts.contains("big_outbox_message_lease"), counts); // its few rows: their state read from the table
        assertUsesIndex(store.unknownSql(), "big_outbox_message_unknown");
        for (String index : new String[] {"finished", "due", "lease", "unknown"}) {
            assertUsesIndex(store.windowSql(), "big_outbox_message_" + index, dayAgo);
        }
        assertUsesIndex(store.consentPerDaySql(), "big_consent_change_at", Timestamp.from(now.minusSeconds(30 * 86_400)));

        Dashboard dashboard = Dashboard.builder(db).tablePrefix("big_").build();
        String page = dashboard.page(); // the first: connections, classes, caches
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            page = dashboard.page();
            ms[i] = (System.nanoTime() - start) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        System.out.println("dashboard page for " + ROWS + " rows on PostgreSQL: median " + ms[2] + " ms of 5 (after one"
                + " to warm up), slowest " + ms[4] + " ms");
        assertTrue(page.contains("id=\"count-total\" data-value=\"" + ROWS + "\""));
        Snapshot s = store.read(now);
        assertEquals(outbox.counts(), s.counts());
        long windowed = s.funnels().stream().mapToLong(Snapshot.Funnel::total).sum();
        long lastDay = (ROWS / 2_592_000L + 1) * 86_400; // the fill's rows one a second, as far back as 30 days
        assertTrue(windowed < Math.min(ROWS, lastDay + ROWS / 500), "the funnel is of the last day's rows and the open"
                + " ones: " + windowed + " rows, not all " + ROWS);
        assertTrue(page.contains("Delivery by channel and campaign, last 24 h"), "the window on the page");
    }

    /**
     * Many rows as a long-running outbox has them: 98 % finished, one a second back from now (up to
     * 30 days, then again from now), some queued, a few unknown.
     */
    private static void fill(Instant now) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO big_outbox_message (batch, channel, recipient, content, segments, state, attempts,"
                    + " next_attempt_at, last_attempt_at, first_attempt_at, sid, twilio_status, error_code, created_at,"
                    + " updated_at) SELECT 'campaign-' || (g % 20), 'sms', '+1415' || lpad((g % 10000000)::text, 7, '0'),"
                    + " '{\"to\":\"+14155550100\",\"body\":\"hello\"}', 1,"
                    + " CASE WHEN g % 1000 = 0 THEN 'queued' WHEN g % 100000 = 1 THEN 'unknown' WHEN g % 50 = 0"
                    + " THEN 'rejected' ELSE 'accepted' END, 1, t, t, t, CASE WHEN g % 1000 = 0 OR g % 100000 = 1"
                    + " OR g % 50 = 0 THEN NULL ELSE 'SM' || md5(g::text) END, CASE WHEN g % 7 = 0 THEN 'undelivered'"
                    + " ELSE 'delivered' END, CASE WHEN g % 7 = 0 THEN 30003 END, t, t FROM (SELECT g, TIMESTAMPTZ '"
                    + Timestamp.from(now).toInstant() + "' - (g % 2592000) * INTERVAL '1 second' AS t"
                    + " FROM generate_series(1, " + ROWS + ") g) x");
            s.execute("INSERT INTO big_consent_change (at, recipient, scope_key, account, channel, sender, state, source)"
                    + " SELECT TIMESTAMPTZ '" + Timestamp.from(now).toInstant() + "' - (g % 1095) * INTERVAL '1 day',"
                    + " '+1415' || lpad(g::text, 7, '0'), 'AC/sms/+15005550006', 'AC' || repeat('0', 32), 'sms',"
                    + " '+15005550006', CASE WHEN g % 5 = 0 THEN 'OPTED_IN' ELSE 'OPTED_OUT' END, 'keyword'"
                    + " FROM generate_series(1, " + Math.max(1000, ROWS / 20) + ") g");
            s.execute("VACUUM ANALYZE big_outbox_message");
            s.execute("VACUUM ANALYZE big_consent_change");
        }
    }

    private static void assertUsesIndex(String sql, String index, Timestamp... params) throws SQLException {
        String text = plan(sql, params);
        assertTrue(text.contains(index), sql + "\nuses " + index + ":\n" + text);
        assertFalse(text.contains("Seq Scan"), sql + "\nreads no table from end to end:\n" + text);
    }

    private static String plan(String sql, Timestamp... params) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setTimestamp(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
        }
        return String.join("\n", plan);
    }
}
