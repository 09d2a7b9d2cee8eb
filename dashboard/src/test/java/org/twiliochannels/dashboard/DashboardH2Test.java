package org.twiliochannels.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxState;

/** The page of a real run on the embedded default, H2, read as HTML. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardH2Test {
    @TempDir
    static Path dir;
    static JdbcDataSource h2;
    static Outbox outbox;

    @BeforeAll
    static void run() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("outbox").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        outbox = Campaign.run(h2, "twilio_");
    }

    @Test
    void theCountsPerStateAreTheOutboxsCounts() {
        Snapshot s = snapshot();
        Map<OutboxState, Long> counts = outbox.counts();
        assertEquals(counts, s.counts());
        assertEquals(49L, counts.get(OutboxState.ACCEPTED) + counts.get(OutboxState.REJECTED));
        assertEquals(1L, counts.get(OutboxState.UNKNOWN));
        String page = Dashboard.builder(h2).build().page();
        for (OutboxState st : OutboxState.values()) {
            assertTrue(page.contains("id=\"count-" + st.dbName() + "\" data-value=\"" + counts.get(st) + "\""), st.name());
        }
    }

    @Test
    void theFunnelAddsUpTheCampaign() {
        Snapshot.Funnel sale = snapshot().funnels().stream().filter(f -> f.batch().equals(java.util.Optional.of(
                Campaign.BATCH))).findFirst().orElseThrow();
        assertEquals(40, sale.accepted());
        assertEquals(36, sale.sent(), "30 delivered, 4 undelivered and 2 sent; failed and the 2 queued at Twilio not");
        assertEquals(30, sale.delivered());
        assertEquals(4, sale.undelivered());
        assertEquals(2, sale.failed());
        assertEquals(3, sale.rejected());
        assertEquals(1, sale.unknown());
        assertEquals(outbox.twilioStatusCounts(Campaign.BATCH).get(org.twiliochannels.core.MessageStatus.DELIVERED),
                sale.delivered());
    }

    @Test
    void failuresAreByCodeWithTheCataloguesHint() {
        Snapshot s = snapshot();
        Map<Integer, Long> byCode = new java.util.HashMap<>();
        s.failures().forEach(f -> byCode.put(f.code().orElse(0), f.total()));
        assertEquals(4L, byCode.get(30003));
        assertEquals(2L, byCode.get(30008));
        assertEquals(1L, byCode.get(21211));
        assertEquals(1L, byCode.get(21610));
        String page = Dashboard.builder(h2).build().page();
        assertTrue(page.contains(Html.escape(org.twiliochannels.core.TwilioErrorCode.of(21610).orElseThrow().hint())),
                "the hint of 21610");
    }

    @Test
    void theUnknownIsListedWithItsNumberMasked() {
        Snapshot s = snapshot();
        assertEquals(1, s.unknowns().size());
        assertEquals("sale-lost", s.unknowns().get(0).key().orElseThrow());
        assertEquals("+1415***0999", s.unknowns().get(0).recipient());
    }

    @Test
    void noBodyAndNoFullNumberIsOnThePage() {
        String page = Dashboard.builder(h2).build().page();
        assertFalse(page.contains("Spring sale"), "a body");
        assertFalse(page.contains("Your order shipped"), "a body");
        assertFalse(page.contains(Campaign.number(7).value()), "a full number");
        assertFalse(page.contains(Campaign.LOST.value()), "a full number");
        assertTrue(page.contains("+1415***1039"), "the newest campaign message, masked");
        assertFalse(page.contains("<script"), "no script");
        assertFalse(page.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing from another host");
    }

    @Test
    void scheduledMessagesAreCountedAsLater() {
        Snapshot.Queue q = snapshot().queue();
        assertEquals(0, q.due());
        assertEquals(5, q.later());
        assertTrue(q.nextLater().orElseThrow().isAfter(Instant.now()));
    }

    @Test
    void acceptedPerMinuteAddUpToTheAccepted() {
        Snapshot s = snapshot();
        long charted = s.throughput().perMinute().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(outbox.counts().get(OutboxState.ACCEPTED), charted);
    }

    @Test
    void theConsentNumbersAreTheLedgers() {
        Snapshot.Consent c = snapshot().consent().orElseThrow();
        Ledger.assertSame(outbox.consentLedger(), c, Instant.now());
        assertEquals(5, c.optedOut());
        assertEquals(Map.of("keyword", 3L, "error-21610", 1L, "api", 1L), c.optOutsBySource());
        assertEquals(Map.of("keyword", 1L), c.optInsBySource());
        String page = Dashboard.builder(h2).build().page();
        assertTrue(page.contains("id=\"card-opted-out\" data-value=\"5\""), "the opted out now");
        assertTrue(page.contains("id=\"chart-consent\""), "the chart");
        assertTrue(page.contains("+1415***1020"), "a change's recipient, masked");
        assertFalse(page.contains(Campaign.number(20).value()), "a full number");
        assertFalse(page.contains("asked by"), "a note");
    }

    @Test
    void theReportDoesNotRefreshAndThePageDoes() {
        Dashboard d = Dashboard.builder(h2).build();
        assertTrue(d.page().contains("<meta http-equiv=\"refresh\" content=\"30\">"));
        assertFalse(d.report().contains("http-equiv=\"refresh\""));
    }

    private static Snapshot snapshot() {
        try {
            return new DashboardStore(h2, "twilio_").read(Clock.tickMillis(ZoneOffset.UTC).instant());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
