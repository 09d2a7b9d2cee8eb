package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Match;

/**
 * The command line's consent ledger, quiet hours, cancel and reschedule, on an H2 outbox and a
 * fake Twilio; the time of day comes from {@code -Dtwilio-channels.now}, never the wall clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliComplianceTest {
    /** 03:00 in Chicago, 01:00 in Los Angeles. */
    static final String NIGHT = "2026-12-08T09:00:00Z";
    /** 12:00 in Chicago. */
    static final String NOON = "2026-12-08T18:00:00Z";

    private FakeTwilio twilio;
    @TempDir
    Path dir;
    String url;

    @BeforeEach
    void start() {
        twilio = FakeTwilio.start();
        url = "jdbc:h2:file:" + dir.resolve("outbox").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    CliTest.Run at(String now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Properties props = new Properties();
        props.setProperty("twilio-channels.now", now);
        props.setProperty("user.name", "alice");
        Map<String, String> env = CliTest.fakeEnv(twilio);
        int exit = Cli.execute(args, env, props, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliTest.Run(exit, out.toString(), err.toString());
    }

    @Test
    void aRevocationRecordedByTheCliStopsTheOutboxSendingToThatRecipient() throws Exception {
        CliTest.Run revoke = at(NOON, "consent", "revoke", "+14155550011", "--db", url, "--note", "asked by phone");
        assertEquals(0, revoke.exit(), revoke.err());
        String scope = twilio.accountSid().value() + "/sms/" + FakeTwilio.DEFAULT_SMS_NUMBER.value();
        assertEquals("+14155550011: opted out for " + scope + " at " + NOON + ", recorded by cli:alice\n",
                revoke.out().replace("\r\n", "\n"));

        CliTest.Run status = at(NOON, "consent", "status", "+14155550011", "--db", url);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().startsWith("+14155550011: opted out for " + scope + " since " + NOON), status.out());
        assertTrue(status.out().contains("recorded by cli:alice (asked by phone)"), status.out());

        CliTest.Run list = at(NOON, "consent", "list", "--db", url);
        assertTrue(list.out().contains("opted out  +1415***0011  " + scope), list.out());
        assertTrue(list.out().contains("1 recipient(s) and sender(s) with a consent recorded, 1 opted out"), list.out());
        CliTest.Run csv = at(NOON, "consent", "list", "--db", url, "--csv");
        assertTrue(csv.out().startsWith("at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note\r\n"
                + NOON + ",+1415***0011,"), csv.out());

        Path file = dir.resolve("r.csv");
        Files.writeString(file, "phone,name\n+14155550011,Ada\n+14155550012,Grace\n");
        CliTest.Run bulk = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "Hi {name}!", "--outbox", url);
        assertEquals(0, bulk.exit(), bulk.err());
        assertTrue(bulk.out().contains("Done: 2 messages: 1 accepted, 0 rejected, 0 unknown, 1 opted out, 0 waiting"),
                bulk.out());
        twilio.assertSent(Match.to("+14155550012").body("Hi Grace!"));
        twilio.assertNothingElseSent();

        CliTest.Run send = at(NOON, "send", "sms", "--to", "+14155550011", "--body", "Hi", "--db", url);
        assertEquals(1, send.exit());
        assertTrue(send.err().startsWith("Not sent: " + NOON + "  opted out  +1415***0011  " + scope), send.err());
        twilio.assertNothingElseSent();

        CliTest.Run grant = at(NOON, "consent", "grant", "+14155550011", "--db", url, "--who", "support:bob");
        assertEquals(0, grant.exit(), grant.err());
        CliTest.Run after = at(NOON, "consent", "status", "+14155550011", "--db", url);
        assertTrue(after.out().startsWith("+14155550011: opted in for " + scope), after.out());
        CliTest.Run sendAgain = at(NOON, "send", "sms", "--to", "+14155550011", "--body", "Welcome back", "--db", url);
        assertEquals(0, sendAgain.exit(), sendAgain.err());
        twilio.assertSent(Match.to("+14155550011").body("Welcome back"));
    }

    @Test
    void marketingAtNightIsHeldAndReportedThenMovedAndCanceledByKey() throws Exception {
        Path file = dir.resolve("appointments.csv");
        Files.writeString(file, "id,phone\nappt-1,+13125550101\nappt-2,+14155550102\n");
        CliTest.Run bulk = at(NIGHT, "send-bulk", "sms", "--file", file.toString(), "--body", "Spring sale!", "--outbox",
                url, "--category", "marketing", "--key-column", "id");
        assertEquals(0, bulk.exit(), bulk.err());
        assertTrue(bulk.out().contains("2 message(s) held by quiet hours (MARKETING messages go only 08:00\u201321:00 in"
                + " the recipient's local time): the first goes at 2026-12-08 14:00 UTC (2026-12-08 08:00"
                + " America/Chicago), the last at 2026-12-08 16:00 UTC (2026-12-08 08:00 America/Los_Angeles)"),
                bulk.out());
        assertTrue(bulk.out().contains("2 message(s) stay queued for their time"), bulk.out());
        assertEquals(0, twilio.sent().size(), "nothing goes in quiet hours");

        CliTest.Run moved = at(NIGHT, "outbox", "reschedule", "appt-1", "2026-12-09T10:00-06:00", "--db", url);
        assertEquals(0, moved.exit(), moved.err());
        assertEquals("appt-1: queued, due 2026-12-09T16:00:00Z", moved.out().strip());

        CliTest.Run canceled = at(NIGHT, "outbox", "cancel", "appt-2", "--db", url);
        assertEquals(0, canceled.exit(), canceled.err());
        assertEquals("appt-2: canceled; no request was made", canceled.out().strip());
        CliTest.Run again = at(NIGHT, "outbox", "cancel", "appt-2", "--db", url);
        assertEquals(1, again.exit());
        assertEquals("appt-2: too late, it was already canceled; not canceled", again.err().strip());
        CliTest.Run unknown = at(NIGHT, "outbox", "cancel", "appt-9", "--db", url);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("key \"appt-9\": no message in the outbox has this key"), unknown.err());
    }

    @Test
    void aNotBeforeTimeKeepsTheRunQueuedUntilThen() throws Exception {
        Path file = dir.resolve("r.csv");
        Files.writeString(file, "phone\n+14155550011\n");
        CliTest.Run bulk = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "Tomorrow", "--outbox", url,
                "--not-before", "2026-12-09T18:00Z");
        assertEquals(0, bulk.exit(), bulk.err());
        assertTrue(bulk.out().contains("1 message(s) wait for --not-before 2026-12-09T18:00Z"), bulk.out());
        assertEquals(0, twilio.sent().size());
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionBeforeAnyRequest() throws Exception {
        Path file = dir.resolve("r.csv");
        Files.writeString(file, "phone\n+14155550011\n");
        CliTest.Run category = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "x", "--outbox", url,
                "--category", "promo");
        assertEquals(2, category.exit());
        assertTrue(category.err().startsWith("category \"promo\" is none of marketing, transactional, critical"),
                category.err());
        CliTest.Run column = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "x", "--outbox", url,
                "--key-column", "id");
        assertEquals(2, column.exit());
        assertEquals("--key-column \"id\" is not a column of r.csv (its columns: [phone])", column.err().strip());
        CliTest.Run time = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "x", "--outbox", url,
                "--not-before", "tomorrow");
        assertEquals(2, time.exit());
        assertTrue(time.err().startsWith("--not-before \"tomorrow\" must be an ISO-8601 time with its offset"));
        CliTest.Run noOutbox = at(NOON, "send-bulk", "sms", "--file", file.toString(), "--body", "x", "--category",
                "marketing");
        assertEquals(2, noOutbox.exit());
        assertTrue(noOutbox.err().startsWith("--category, --key-column and --not-before work with --outbox only"));
        CliTest.Run number = at(NOON, "consent", "revoke", "12", "--db", url);
        assertEquals(2, number.exit());
        assertEquals(0, twilio.sent().size());
    }
}
