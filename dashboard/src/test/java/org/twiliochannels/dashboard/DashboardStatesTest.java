package org.twiliochannels.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.twiliochannels.outbox.Outbox;

/** The pages for an empty outbox, missing tables and a database that cannot be reached; the builder's checks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardStatesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T22:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    @Test
    void anEmptyOutboxSaysWhatToDo() {
        JdbcDataSource ds = h2("empty");
        Outbox.builder(ds).build().migrate();
        String page = Dashboard.builder(ds).clock(CLOCK).build().page();
        assertTrue(page.contains("<h2 id=\"empty-h\">No messages yet</h2>"), page);
        assertTrue(page.contains("Outbox.enqueue"));
        assertTrue(page.contains("id=\"count-total\" data-value=\"0\""));
        assertTrue(page.contains("<time id=\"as-of\" datetime=\"2026-12-07T22:00:00Z\">2026-12-07 22:00:00 UTC</time>"));
        assertFalse(page.contains("id=\"funnel\""), "no empty tables");
    }

    @Test
    void missingTablesSayHowToCreateThem() {
        String page = Dashboard.builder(h2("none")).clock(CLOCK).build().page();
        assertTrue(page.contains("<h2 id=\"unavailable-h\">The outbox tables are not there</h2>"), page);
        assertTrue(page.contains("No table twilio_outbox_message in this database"));
        assertTrue(page.contains("Outbox.migrate()"));
    }

    @Test
    void aDatabaseThatCannotBeReachedIsShownAsSuchWithoutAStackTrace() {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setUrl("jdbc:postgresql://127.0.0.1:9/outbox?connectTimeout=2");
        down.setUser("app");
        down.setPassword("s3cret-password");
        String page = Dashboard.builder(down).clock(CLOCK).build().page();
        assertTrue(page.contains("<h2 id=\"unavailable-h\">The outbox database cannot be reached</h2>"), page);
        assertTrue(page.contains("SQL state 08001"), page);
        assertTrue(page.contains("This page tries again every 30 s."));
        assertTrue(page.contains("<meta http-equiv=\"refresh\" content=\"30\">"));
        assertFalse(page.contains("Exception"), page);
        assertFalse(page.contains("at org."), page);
        assertFalse(page.contains("s3cret"), page);
        assertFalse(page.contains("127.0.0.1"), "no address of the database on the page");
    }

    @Test
    void tablesWithoutTheConsentLedgerSayItIsNotSetUp() throws java.sql.SQLException {
        JdbcDataSource ds = h2("old");
        Outbox outbox = Outbox.builder(ds).build();
        outbox.migrate();
        outbox.enqueue(org.twiliochannels.outbox.OutboxMessage.of("sms",
                org.twiliochannels.core.Message.text("+14155550100", "hello"), "k1"));
        String page = Dashboard.builder(ds).clock(CLOCK).build().page();
        assertTrue(page.contains("id=\"card-opted-out\" data-value=\"0\""), "the ledger, empty");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("DROP TABLE twilio_consent_current");
            s.execute("DROP TABLE twilio_consent_change"); // as tables of a schema before version 3 are
        }
        page = Dashboard.builder(ds).clock(CLOCK).build().page();
        assertTrue(page.contains("<p id=\"no-consent\">The consent ledger is not set up in these tables"), page);
        assertFalse(page.contains("card-opted-out"));
        assertTrue(page.contains("id=\"count-queued\" data-value=\"1\""), "the rest of the page");
    }

    @Test
    void theBuilderNamesTheFieldAndTheFix() {
        Dashboard.Builder b = Dashboard.builder(h2("b"));
        assertEquals("accountCap 0.0 must be a positive number of messages per second, e.g. 100",
                assertThrows(IllegalArgumentException.class, () -> b.accountCap(0)).getMessage());
        assertEquals("refresh 1000 ms must be at least 5 s: each page reads the outbox's database; e.g."
                        + " Duration.ofSeconds(30)",
                assertThrows(IllegalArgumentException.class, () -> b.refresh(Duration.ofSeconds(1))).getMessage());
        assertEquals("tablePrefix \"Bad-\" must be lower-case letters, digits and '_', starting with a letter, at most"
                + " 30 characters, e.g. \"twilio_\"",
                assertThrows(IllegalArgumentException.class, () -> b.tablePrefix("Bad-")).getMessage());
        assertEquals("title must not be blank; e.g. \"Orders outbox\"",
                assertThrows(IllegalArgumentException.class, () -> b.title(" ")).getMessage());
    }

    @Test
    void theTitleAndTheCapAreOnThePage() {
        JdbcDataSource ds = h2("cap");
        Outbox.builder(ds).build().migrate();
        String page = Dashboard.builder(ds).clock(CLOCK).title("Orders <outbox>").accountCap(2.5).build().page();
        assertTrue(page.contains("<title>Orders &lt;outbox&gt;</title>"));
        assertTrue(page.contains("the account's cap is 150 per minute (2.5 per second)"), page);
        assertTrue(page.contains("class=\"cap\""), "the cap line on the charts");
    }
}
