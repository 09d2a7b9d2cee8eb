package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.Message;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;

/** {@code outbox report --db JDBC_URL --html FILE}: the dashboard's page as a file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliReportTest {
    @TempDir
    Path dir;

    @Test
    void writesTheOutboxsPageAsOneSelfContainedFile() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("outbox").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(url); // as the command line connects: no user, no password
        Outbox outbox = Outbox.builder(h2).build();
        outbox.migrate();
        outbox.enqueue(OutboxMessage.builder("sms", Message.text("+14155550123", "Secret sale for you")).key("a")
                .batch("sale").build());
        outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550124", "Another body"), "b"));
        Path html = dir.resolve("report.html");

        CliTest.Run r = CliTest.run(Map.of(), "outbox", "report", "--db", url, "--html", html.toString(), "--cap", "10",
                "--title", "Nightly report");
        assertEquals(0, r.exit(), r.err());
        assertEquals("wrote " + html + ": 2 message(s), 2 queued, 0 may have been sent" + System.lineSeparator(), r.out());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<title>Nightly report</title>"));
        assertTrue(page.contains("id=\"count-queued\" data-value=\"2\""), page);
        assertTrue(page.contains("the account's cap is 600 per minute (10 per second)"));
        assertFalse(page.contains("http-equiv=\"refresh\""), "a file does not reload itself");
        assertFalse(page.contains("Secret sale"), "no body");
        assertFalse(page.contains("+14155550123"), "no full number");
        assertTrue(page.contains("+1415***0123"));
        assertFalse(page.contains("<script") || page.contains("<link") || page.contains("src="), "self-contained");
    }

    @Test
    void badOptionsAreReportedBeforeTheDatabaseIsAsked() {
        Path html = dir.resolve("r.html");
        CliTest.Run r = CliTest.run(Map.of(), "outbox", "report", "--db", "jdbc:postgresql://127.0.0.1:9/none",
                "--html", html.toString(), "--cap", "-1");
        assertEquals(Cli.USAGE, r.exit());
        assertEquals("accountCap -1.0 must be a positive number of messages per second, e.g. 100"
                + System.lineSeparator(), r.err());
        CliTest.Run mysql = CliTest.run(Map.of(), "outbox", "report", "--db", "jdbc:mysql://db/app", "--html",
                html.toString());
        assertTrue(mysql.err().startsWith("--db \"jdbc:mysql://db/app\" must be a PostgreSQL or H2 JDBC URL"), mysql.err());
        assertFalse(Files.exists(html));
    }

    @Test
    void anOutboxWithoutItsTablesWritesNoFileAndSaysWhy() {
        Path html = dir.resolve("r.html");
        String url = "jdbc:h2:file:" + dir.resolve("empty").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        CliTest.Run r = CliTest.run(Map.of(), "outbox", "report", "--db", url, "--html", html.toString());
        assertEquals(Cli.USAGE, r.exit());
        assertTrue(r.err().startsWith("outbox database error (tables twilio_outbox_*): Table \"TWILIO_OUTBOX_MESSAGE\""
                + " not found"), r.err());
        assertFalse(Files.exists(html));
    }
}
