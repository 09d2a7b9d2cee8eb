package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channels;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliTest {
    private FakeTwilio twilio;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() {
        twilio = FakeTwilio.start();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private Map<String, String> fakeEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", twilio.accountSid().value());
        env.put("TWILIO_AUTH_TOKEN", twilio.authToken().revealSecret());
        env.put("TWILIO_PHONE_NUMBER", FakeTwilio.DEFAULT_SMS_NUMBER.value());
        env.put("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886");
        env.put("TWILIO_API_BASE_URL", twilio.baseUrl().toString());
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.execute(args, env, new Properties(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void demoWithoutCredentialsRunsOfflineAndSaysSoInItsFirstLine() {
        Run r = run(Map.of(), "demo");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Offline demo: no TWILIO_* credentials are set, so this talks to an embedded"
                + " fake Twilio at http://"), r.out());
        assertTrue(r.out().contains("accepted (status queued, 1 segment) via sms to +14155551234"), r.out());
        assertTrue(r.out().contains("via whatsapp to whatsapp:+14155551234"), r.out());
        assertTrue(r.out().contains("The fake Twilio accepted 2 messages:"), r.out());
    }

    @Test
    void liveDemoNeedsARecipient() {
        Run r = run(fakeEnv(), "demo");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Live demo: TWILIO_* credentials are set"), r.err());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void liveDemoSendsOnBothChannels() {
        twilio.joinSandbox(org.twiliochannels.core.PhoneNumber.of("+14155551234"));
        Run r = run(fakeEnv(), "demo", "--to", "+14155551234");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("sms", "whatsapp"), twilio.sent().stream().map(m -> m.channel()).toList());
    }

    @Test
    void sendSmsPrintsTheSidAndExitsZero() {
        Run r = run(fakeEnv(), "send", "sms", "--to", "+14155551234", "--body", "hello");
        assertEquals(0, r.exit(), r.err());
        String sid = twilio.sent().get(0).sid();
        assertEquals(sid + " accepted (status queued, 1 segment) via sms to +14155551234" + System.lineSeparator(), r.out());
    }

    @Test
    void sendWhatsAppUsesThePrefixedAddresses() {
        twilio.joinSandbox(org.twiliochannels.core.PhoneNumber.of("+14155551234"));
        Run r = run(fakeEnv(), "send", "whatsapp", "--to", "+14155551234", "--body", "hello");
        assertEquals(0, r.exit(), r.err());
        assertEquals("whatsapp:+14155551234", twilio.sent().get(0).to());
    }

    @Test
    void rejectionPrintsCodeMessageAndHintAndExitsOne() {
        Run r = run(fakeEnv(), "send", "sms", "--to", "+15005550001", "--body", "hello");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("Rejected: Twilio error 21211 (HTTP 400): The 'To' number +1500***0001 is not a"
                + " valid phone number. Hint: The To number is not a valid phone number"), r.err());
    }

    @Test
    void sandboxRecipientThatHasNotJoinedGetsTheJoinInstructions() {
        Run r = run(fakeEnv(), "send", "whatsapp", "--to", "+14155550000", "--body", "hello");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("63015") && r.err().contains("'join <your sandbox code>'"), r.err());
    }

    @Test
    void unknownOutcomeExitsThreeOnlyWhenTheLogCannotSettleItAndSaysWhatToCheck() {
        twilio.failNext(Fault.serverError(503));
        twilio.failNextList(Fault.serverError(503), Fault.serverError(503), Fault.serverError(503), Fault.serverError(503));
        Run r = run(fakeEnv(), "send", "sms", "--to", "+14155551234", "--body", "hello");
        assertEquals(3, r.exit());
        assertTrue(r.err().startsWith("Outcome unknown after reading Twilio's message log: Twilio answered HTTP 503"),
                r.err());
        assertTrue(r.err().contains("the log could not be read"), r.err());
        assertTrue(r.err().contains("Before sending again, look for a message to +1415***1234"), r.err());
        assertEquals(1, twilio.createRequests().size());
    }

    @Test
    void aLostAnswerWhoseMessageIsInTheLogExitsZeroAndSaysItWasSettled() {
        twilio.failNext(Fault.disconnectAfterCreate());
        Run r = run(fakeEnv(), "send", "sms", "--to", "+14155551234", "--body", "hello");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("the answer was lost and the message was found in Twilio's message log"), r.out());
        assertEquals(1, twilio.createRequests().size());
        assertEquals(1, twilio.sent().size());
    }

    @Test
    void aServerErrorThatCreatedNothingIsResentOnceAndExitsZero() {
        twilio.failNext(Fault.serverError(503));
        Run r = run(fakeEnv(), "send", "sms", "--to", "+14155551234", "--body", "hello");
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, twilio.createRequests().size());
        assertEquals(1, twilio.sent().size());
        twilio.assertNoResendWithoutLookup();
    }

    @Test
    void badArgumentsExitTwoWithoutARequest() {
        assertEquals(2, run(fakeEnv(), "send", "sms", "--body", "hello").exit());
        Run formatted = run(fakeEnv(), "send", "sms", "--to", "+1 (415) 555-1234", "--body", "hello");
        assertEquals(2, formatted.exit());
        assertTrue(formatted.err().startsWith("Not sent: to: Phone number \"+1 (415) 555-1234\""), formatted.err());
        assertEquals(2, run(fakeEnv(), "send", "sms", "--to", "+14155551234").exit());
        assertEquals(2, run(fakeEnv(), "send", "fax", "--to", "+14155551234", "--body", "x").exit());
        assertEquals(2, run(fakeEnv(), "doctor", "--bogus").exit());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void missingConfigurationExitsTwoListingEveryProblem() {
        Run r = run(Map.of("TWILIO_ACCOUNT_SID", "SK0123456789abcdef0123456789abcdef"), "send", "sms", "--to",
                "+14155551234", "--body", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("The Twilio settings have 3 problems:"), r.err());
        assertTrue(r.err().contains("is an API key SID (starts with SK)"), r.err());
    }

    @Test
    void channelsListsBothDiscoveredChannels() {
        assertEquals(List.of("sms", "whatsapp"), Channels.available());
        Run r = run(Map.of(), "channels");
        assertEquals(0, r.exit());
        assertEquals("sms\tSMS and MMS from a Twilio number or Messaging Service" + System.lineSeparator()
                + "whatsapp\tWhatsApp messages from a Twilio WhatsApp sender" + System.lineSeparator(), r.out());
    }

    @Test
    void doctorExitsZeroWhenAllIsWellAndOneOnProblems() {
        Run good = run(fakeEnv(), "doctor");
        assertEquals(0, good.exit(), good.out());
        assertTrue(good.out().contains("[ok]"), good.out());
        Map<String, String> bad = fakeEnv();
        bad.put("TWILIO_PHONE_NUMBER", "415-555-1234");
        Run r = run(bad, "doctor");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("[problem]  TWILIO_PHONE_NUMBER"), r.out());
    }

    @Test
    void doctorLiveAsksTwilioAndReportsAsJson() {
        twilio.trialAccount();
        Run r = run(fakeEnv(), "doctor", "--live", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().startsWith("{\"ok\":true,"), r.out());
        assertTrue(r.out().contains("\"key\":\"account type\",\"source\":\"Twilio\",\"message\":\"Trial:"), r.out());
        assertEquals(2, twilio.requestCount());
    }

    @Test
    void doctorLiveWithAWrongTokenSaysTheyDoNotMatch() {
        Map<String, String> env = fakeEnv();
        env.put("TWILIO_AUTH_TOKEN", "feedfacefeedfacefeedfacefeedface");
        Run r = run(env, "doctor", "--live");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("Account SID and Auth Token do not match (Twilio error 20003)"), r.out());
        assertFalse(r.out().contains("feedfacefeedface"));
    }

    @Test
    void sendBulkSendsOneMessagePerRowWithPlaceholdersAndResumes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path csv = dir.resolve("recipients.csv");
        java.nio.file.Files.writeString(csv, "phone,name\n+14155550001,Ada\n+14155550002,\"Grace, H.\"\n"
                + "415-555-0003,Bad\n");
        java.nio.file.Path log = dir.resolve("outcomes.csv");
        Run r = run(fakeEnv(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!", "--rate", "50",
                "--outcomes", log.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().startsWith("3 rows, 3 segments; at 50 segments/s (rate given)"), r.out());
        assertTrue(r.out().contains("Done: 3 done: 2 accepted, 1 rejected, 0 unknown, 0 skipped"), r.out());
        assertTrue(r.err().contains("recipients.csv:4: to: Phone number \"415-555-0003\""), r.err());
        twilio.assertSent(org.twiliochannels.testing.Match.to("+14155550001").body("Hi Ada!"));
        twilio.assertSent(org.twiliochannels.testing.Match.to("+14155550002").body("Hi Grace, H.!"));
        twilio.assertNothingElseSent();

        Run again = run(fakeEnv(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!", "--rate", "50",
                "--outcomes", log.toString());
        assertTrue(again.out().contains("Resuming: 2 recipients"), again.out());
        assertEquals(2, twilio.sent().size(), "a resumed run sends nothing twice");
    }

    @Test
    void sendBulkWarnsWhenTheQueueWindowWouldBeExceeded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path csv = dir.resolve("r.csv");
        StringBuilder rows = new StringBuilder("phone\n");
        for (int i = 0; i < 30; i++) {
            rows.append(String.format("+1415555%04d%n", i));
        }
        java.nio.file.Files.writeString(csv, rows);
        Run r = run(fakeEnv(), "send-bulk", "sms", "--file", csv.toString(), "--body", "x".repeat(1500),
                "--rate", "0.005", "--dry-run");
        assertEquals(0, r.exit());
        assertEquals(0, twilio.requestCount());
        assertTrue(r.err().startsWith("Warning: that is more than the 10 h 0 min of traffic Twilio queues"), r.err());
    }

    @Test
    void statusShowsTheCurrentStateOfAMessage() {
        run(fakeEnv(), "send", "sms", "--to", "+14155551234", "--body", "hello");
        String sid = twilio.sent().get(0).sid();
        Run r = run(fakeEnv(), "status", sid);
        assertEquals(0, r.exit(), r.err());
        assertEquals(sid + " queued" + System.lineSeparator(), r.out());
    }
}
