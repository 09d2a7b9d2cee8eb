package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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
        return fakeEnv(twilio);
    }

    /** The settings that point the command line at {@code twilio}: its credentials, numbers and URL. */
    static Map<String, String> fakeEnv(FakeTwilio twilio) {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", twilio.accountSid().value());
        env.put("TWILIO_AUTH_TOKEN", twilio.authToken().revealSecret());
        env.put("TWILIO_PHONE_NUMBER", FakeTwilio.DEFAULT_SMS_NUMBER.value());
        env.put("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886");
        env.put("TWILIO_API_BASE_URL", twilio.baseUrl().toString());
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        return runIn(null, env, args);
    }

    /** Runs the CLI as if started in {@code workingDirectory} (its {@code user.dir}). */
    static Run runIn(Path workingDirectory, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Properties props = new Properties();
        if (workingDirectory != null) {
            props.setProperty("user.dir", workingDirectory.toString());
        }
        int exit = Cli.execute(args, env, props, new PrintWriter(out, true), new PrintWriter(err, true));
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
        assertTrue(r.out().startsWith("{\"schema\":1,\"ok\":true,"), r.out());
        assertTrue(r.out().contains("\"key\":\"account type\",\"source\":\"Twilio\",\"message\":\"Trial:"), r.out());
        assertEquals(3, twilio.requestCount());                  // the account, the number, the templates' list
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
    void sendBulkThroughAnOutboxEnqueuesEachRowOnceAndReportsTheWholeRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path csv = dir.resolve("recipients.csv");
        java.nio.file.Files.writeString(csv, "phone,name\n+14155550011,Ada\n+14155550012,Grace\n");
        String url = "jdbc:h2:file:" + dir.resolve("outbox").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
        Run r = run(fakeEnv(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!", "--outbox", url);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(": 2 message(s) enqueued now"), r.out());
        assertTrue(r.out().contains("Done: 2 messages: 2 accepted, 0 rejected, 0 unknown, 0 waiting or in flight"), r.out());
        twilio.assertSent(org.twiliochannels.testing.Match.to("+14155550011").body("Hi Ada!"));
        twilio.assertSent(org.twiliochannels.testing.Match.to("+14155550012").body("Hi Grace!"));
        twilio.assertNothingElseSent();

        Run again = run(fakeEnv(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!", "--outbox", url);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains(": 0 message(s) enqueued now"), "the same file and body add nothing: " + again.out());
        assertEquals(2, twilio.sent().size(), "nothing is sent twice");

        Run status = run(fakeEnv(), "outbox", "status", url);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("accepted\\s+2")), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("queued\\s+0")), status.out());
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

    /** The output with runs of spaces (the report's column padding) made one. */
    private static String squeezed(String out) {
        return out.replaceAll(" {2,}", " ");
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String fakeEnvFile() {
        return "TWILIO_ACCOUNT_SID=" + twilio.accountSid().value() + "\nTWILIO_AUTH_TOKEN="
                + twilio.authToken().revealSecret() + "\nTWILIO_PHONE_NUMBER=+14155550100\n"
                + "TWILIO_API_BASE_URL=" + twilio.baseUrl() + "\n";
    }

    @Test
    void doctorFromADirectoryWithOnlyBackendEnvReadsItAndSaysSo(@TempDir Path dir) throws Exception {
        write(dir.resolve("backend/.env"), fakeEnvFile());
        Run r = runIn(dir, Map.of(), "doctor");
        assertEquals(0, r.exit(), r.out());
        Path absolute = dir.toAbsolutePath().normalize();
        assertTrue(squeezed(r.out()).contains("[ok] .env (backend/.env) read 4 values from "
                + absolute.resolve("backend/.env") + "; looked for " + absolute.resolve(".env") + " and "
                + absolute.resolve("backend/.env") + ", the first one found is read"), r.out());
        assertTrue(r.out().contains("(backend/.env:1) " + twilio.accountSid().value()), r.out());
        assertFalse(r.out().contains(twilio.authToken().revealSecret()), r.out());
    }

    @Test
    void dotEnvInTheWorkingDirectoryWinsAndBackendEnvIsNamedAsNotRead(@TempDir Path dir) throws Exception {
        write(dir.resolve(".env"), fakeEnvFile());
        write(dir.resolve("backend/.env"), "TWILIO_PHONE_NUMBER=+14155550199\n");
        Run r = runIn(dir, Map.of(), "doctor");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("(.env:3) +14155550100"), r.out());
        assertTrue(squeezed(r.out()).contains("[warning] .env (backend/.env) not read: .env was found first and"
                + " only one .env file is read; move these values into " + dir.toAbsolutePath().normalize()
                .resolve(".env") + ", or delete one of the two files."), r.out());
    }

    @Test
    void doctorWithoutAnyEnvFileSaysWhereItLookedAndWhereToPutOne(@TempDir Path dir) {
        Run r = runIn(dir, Map.of(), "doctor");
        assertEquals(1, r.exit());
        Path absolute = dir.toAbsolutePath().normalize();
        assertTrue(r.out().contains("no .env file found: looked for " + absolute.resolve(".env") + " and "
                + absolute.resolve("backend/.env") + ". To keep the settings in a file, put lines such as"
                + " TWILIO_ACCOUNT_SID=AC\u2026 in " + absolute.resolve(".env") + "."), r.out());
    }

    @Test
    void theSetupGuidesExampleValuesAreReportedAsExamplesForEveryKey(@TempDir Path dir) throws Exception {
        write(dir.resolve("backend/.env"), "TWILIO_ACCOUNT_SID=AC1234567890abcdef1234567890abcdef\n"
                + "TWILIO_AUTH_TOKEN=a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6\nTWILIO_PHONE_NUMBER=+1234567890\n"
                + "TWILIO_WHATSAPP_FROM=whatsapp:+15017122661\n");
        Run doctor = runIn(dir, Map.of(), "doctor");
        assertEquals(1, doctor.exit());
        for (String key : List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER", "TWILIO_WHATSAPP_FROM")) {
            assertTrue(squeezed(doctor.out()).lines().anyMatch(l -> l.startsWith("[problem] " + key + " ") && l.contains(
                    "is an example value from the documentation")), key + " in " + doctor.out());
        }
        Run send = runIn(dir, Map.of(), "send", "sms", "--to", "+14155551234", "--body", "x");
        assertEquals(2, send.exit());
        assertTrue(send.err().startsWith("The Twilio settings have 4 problems:"), send.err());
        assertTrue(send.err().contains("- TWILIO_PHONE_NUMBER (backend/.env:3): is an example value from the"
                + " documentation (an example number of Twilio's docs and setup guides): replace it with your own."),
                send.err());
        assertFalse(send.err().contains("a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"), send.err());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void aTokenPastedIntoThePhoneNumberIsNeverPrinted() {
        Map<String, String> env = fakeEnv();
        String token = twilio.authToken().revealSecret();
        env.put("TWILIO_PHONE_NUMBER", token);
        Run doctor = run(env, "doctor");
        Run json = run(env, "doctor", "--json");
        Run send = run(env, "send", "sms", "--to", "+14155551234", "--body", "x");
        for (String output : List.of(doctor.out(), doctor.err(), json.out(), send.out(), send.err())) {
            assertFalse(output.contains(token), output);
        }
        assertTrue(squeezed(doctor.out()).contains("[problem] TWILIO_PHONE_NUMBER (env) looks like an auth token or API"
                + " secret (not shown); it belongs in TWILIO_AUTH_TOKEN or TWILIO_API_SECRET"), doctor.out());
    }

    @Test
    void aTokenWithAZeroWidthSpaceOrPassedAsRecipientIsNeverPrinted() {
        Map<String, String> env = fakeEnv();
        String token = twilio.authToken().revealSecret();
        env.put("TWILIO_PHONE_NUMBER", token.substring(0, 16) + "\u200b" + token.substring(16));
        Run doctor = run(env, "doctor");
        Run send = run(fakeEnv(), "send", "sms", "--to", token, "--body", "x");
        Run sendPlus = run(fakeEnv(), "send", "sms", "--to", "+" + token, "--body", "x");
        for (String output : List.of(doctor.out(), doctor.err(), send.out(), send.err(), sendPlus.out(), sendPlus.err())) {
            assertFalse(output.contains(token.substring(0, 12)), output);
        }
        assertTrue(squeezed(doctor.out()).contains("[problem] TWILIO_PHONE_NUMBER (env) looks like an auth token or API"
                + " secret (not shown)"), doctor.out());
        assertTrue(send.err().startsWith("Not sent: to: Phone number looks like an auth token (32 hex characters): it"
                + " belongs in TWILIO_AUTH_TOKEN, not here."), send.err());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void doctorJsonHasTheDocumentedShapeAndIsPureAscii() throws Exception {
        Run r = run(fakeEnv(), "doctor", "--json");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().chars().allMatch(c -> c < 0x80), r.out());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("schema", "ok", "problems", "warnings", "findings"), iterable(root.fieldNames()));
        assertEquals(1, root.get("schema").intValue());
        assertTrue(root.get("ok").isBoolean());
        assertTrue(root.get("problems").isInt() && root.get("warnings").isInt());
        assertTrue(root.get("findings").isArray() && root.get("findings").size() > 0);
        int warnings = 0;
        for (JsonNode f : root.get("findings")) {
            assertEquals(List.of("severity", "key", "source", "message"), iterable(f.fieldNames()));
            assertTrue(List.of("ok", "warning", "problem").contains(f.get("severity").textValue()), f.toString());
            assertTrue(f.get("key").isTextual() && f.get("source").isTextual() && f.get("message").isTextual());
            warnings += f.get("severity").textValue().equals("warning") ? 1 : 0;
        }
        assertEquals(warnings, root.get("warnings").intValue());
        assertTrue(r.out().contains("\"message\":\"set (\\u2026"), r.out());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** The CLI's own main in a JVM started with a C locale: text in UTF-8, JSON in ASCII. */
    @Test
    void outputSurvivesACPosixLocale(@TempDir Path dir) throws Exception {
        byte[] text = runMainInCLocale(dir, "doctor");
        String decoded = new String(text, StandardCharsets.UTF_8);
        assertTrue(decoded.contains("set (\u2026"), decoded);
        assertFalse(decoded.contains("set (?"), decoded);
        byte[] json = runMainInCLocale(dir, "doctor", "--json");
        for (byte b : json) {
            assertTrue(b >= 0, "non-ASCII byte in " + new String(json, StandardCharsets.UTF_8));
        }
        assertTrue(new String(json, StandardCharsets.US_ASCII).contains("set (\\u2026"));
    }

    private byte[] runMainInCLocale(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Duser.dir=" + dir, Cli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().clear();
        pb.environment().putAll(fakeEnv());
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
