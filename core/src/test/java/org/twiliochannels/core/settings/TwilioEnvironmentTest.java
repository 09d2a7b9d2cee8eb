package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;
import org.twiliochannels.core.testsupport.TestValues;

class TwilioEnvironmentTest {
    @TempDir
    Path dir;

    private static final Map<String, String> GOOD = Map.of(
            "TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN", TestValues.AUTH_TOKEN,
            "TWILIO_PHONE_NUMBER", "+14155550100",
            "TWILIO_WHATSAPP_FROM", "whatsapp:+14155551234");

    private TwilioEnvironment.Builder isolated() {
        return TwilioEnvironment.builder().noEnvFile().environment(Map.of()).systemProperties(new Properties());
    }

    private Path envFile(String content) throws Exception {
        Path f = dir.resolve("backend/.env");
        Files.createDirectories(f.getParent());
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static Finding finding(SetupReport r, String key) {
        return r.findings().stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + key + " in " + r.findings()));
    }

    @Test
    void environmentVariablesBuildAConfigForBothChannels() {
        TwilioConfig c = isolated().environment(GOOD).read().toConfig();
        assertEquals(TestValues.ACCOUNT_SID, c.credentials().accountSid().value());
        assertEquals("+14155550100", c.smsFrom().orElseThrow().value());
        assertEquals("whatsapp:+14155551234", c.whatsAppFrom().orElseThrow().value());
        SetupReport r = isolated().environment(GOOD).read().check();
        assertTrue(r.ok(), r.toText());
        assertEquals(new Finding(Severity.OK, "channels", "", "sms ready, whatsapp ready"), finding(r, "channels"));
    }

    @Test
    void precedenceIsCodeThenSystemPropertyThenEnvironmentThenDotEnv() throws Exception {
        Path file = envFile("TWILIO_PHONE_NUMBER=+15005550001\nTWILIO_WHATSAPP_FROM=whatsapp:+15005550001\n"
                + "TWILIO_ACCOUNT_SID=" + TestValues.ACCOUNT_SID + "\nTWILIO_AUTH_TOKEN=" + TestValues.AUTH_TOKEN + "\n"
                + "TWILIO_STATUS_CALLBACK=https://file.example/cb\n");
        Properties props = new Properties();
        props.setProperty("TWILIO_PHONE_NUMBER", "+15005550003");
        props.setProperty("TWILIO_WHATSAPP_FROM", "whatsapp:+15005550003");
        TwilioEnvironment env = TwilioEnvironment.builder().envFile(file)
                .environment(Map.of("TWILIO_PHONE_NUMBER", "+15005550004", "TWILIO_WHATSAPP_FROM", "whatsapp:+15005550004",
                        "TWILIO_STATUS_CALLBACK", "https://env.example/cb"))
                .systemProperties(props)
                .set("TWILIO_PHONE_NUMBER", "+15005550002")
                .read();
        assertEquals("code", env.setting("TWILIO_PHONE_NUMBER").orElseThrow().source());
        assertEquals("+15005550002", env.setting("TWILIO_PHONE_NUMBER").orElseThrow().display());
        assertEquals("system property", env.setting("TWILIO_WHATSAPP_FROM").orElseThrow().source());
        assertEquals("env", env.setting("TWILIO_STATUS_CALLBACK").orElseThrow().source());
        assertEquals(file + ":3", env.setting("TWILIO_ACCOUNT_SID").orElseThrow().source());
    }

    @Test
    void dotEnvAsPeopleWriteItWithBomCrlfExportQuotesCommentsAndSpaces() throws Exception {
        Path file = envFile("\uFEFF# Twilio\r\n\r\nexport TWILIO_ACCOUNT_SID = \"" + TestValues.ACCOUNT_SID + "\"\r\n"
                + "TWILIO_AUTH_TOKEN='" + TestValues.AUTH_TOKEN + "'  # from the console\r\n"
                + "   TWILIO_PHONE_NUMBER=+14155550100 # sms\r\n"
                + "TWILIO_WHATSAPP_FROM=\"whatsapp:+14155238886\"\r\n");
        TwilioEnvironment env = isolated().envFile(file).read();
        SetupReport r = env.check();
        assertTrue(r.ok(), r.toText());
        assertEquals(TestValues.ACCOUNT_SID, env.setting("TWILIO_ACCOUNT_SID").orElseThrow().display());
        assertEquals(file + ":3", env.setting("TWILIO_ACCOUNT_SID").orElseThrow().source());
        assertEquals(new TwilioEnvironment.Setting("TWILIO_AUTH_TOKEN", "(secret, not shown)", file + ":4", true),
                env.setting("TWILIO_AUTH_TOKEN").orElseThrow());
        assertEquals(TestValues.AUTH_TOKEN, env.authToken().orElseThrow().revealSecret());
        assertEquals("+14155550100", env.setting("TWILIO_PHONE_NUMBER").orElseThrow().display());
        assertEquals("whatsapp:+14155238886", env.setting("TWILIO_WHATSAPP_FROM").orElseThrow().display());
        assertEquals(List.of("TWILIO_WHATSAPP_FROM"), r.warnings().stream().map(Finding::key).toList());
    }

    @Test
    void unreadableLinesAreReportedWithFileAndLine() throws Exception {
        Path file = envFile("TWILIO_ACCOUNT_SID=" + TestValues.ACCOUNT_SID + "\nthis is not an assignment\n"
                + "TWILIO_AUTH_TOKEN=\"" + TestValues.AUTH_TOKEN + "\n");
        SetupReport r = isolated().envFile(file).read().check();
        List<Finding> fileProblems = r.problems().stream().filter(f -> f.key().equals(".env")).toList();
        assertEquals(List.of(
                new Finding(Severity.PROBLEM, ".env", file + ":2", "cannot read this line: expected KEY=VALUE (no = found)"),
                new Finding(Severity.PROBLEM, ".env", file + ":3",
                        "unterminated double quote in the value of TWILIO_AUTH_TOKEN")), fileProblems);
    }

    @Test
    void namedEnvFileThatDoesNotExistIsAProblem() {
        SetupReport r = isolated().envFile(dir.resolve("missing.env")).environment(GOOD).read().check();
        assertEquals(Severity.PROBLEM, finding(r, ".env").severity());
        assertTrue(finding(r, ".env").message().startsWith("file not found: "));
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeySourceAndFix() {
        Map<String, String> bad = Map.of(
                "TWILIO_ACCOUNT_SID", "SK0123456789abcdef0123456789abcdef",
                "TWILIO_AUTH_TOKEN", "\"" + TestValues.AUTH_TOKEN + "\"",
                "TWILIO_PHONE_NUMBER", "+1 (415) 555-1234",
                "TWILIO_WHATSAPP_FROM", "+14155238886");
        SetupReport r = isolated().environment(bad).read().check();
        assertEquals(4, r.problems().size(), r.toText());
        assertEquals(new Finding(Severity.PROBLEM, "TWILIO_ACCOUNT_SID", "env", "Account SID"
                + " \"SK0123456789abcdef0123456789abcdef\" is an API key SID (starts with SK), not an Account SID."
                + " Copy the Account SID from Twilio Console > Account Info (it starts with AC)."),
                finding(r, "TWILIO_ACCOUNT_SID"));
        assertEquals("Auth token is wrapped in quotes; remove the quotes. Copy the Auth Token from Twilio Console >"
                + " Account Info (click 'Show'), or use an API key.", finding(r, "TWILIO_AUTH_TOKEN").message());
        assertTrue(finding(r, "TWILIO_PHONE_NUMBER").message().contains("write it as \"+14155551234\""));
        assertTrue(finding(r, "TWILIO_WHATSAPP_FROM").message().contains("use \"whatsapp:+14155238886\""));
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> isolated().environment(bad).read().toConfig());
        assertTrue(e.getMessage().startsWith("The Twilio settings have 4 problems:" + System.lineSeparator()
                + "- TWILIO_ACCOUNT_SID (env): Account SID"), e.getMessage());
        assertFalse(e.getMessage().contains(TestValues.AUTH_TOKEN));
    }

    @Test
    void trailingNewlinePastedIntoAValueIsNamed() {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.put("TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID + "\n");
        assertEquals("Account SID \"" + TestValues.ACCOUNT_SID + "\\n\" ends with a line break; remove it. Copy the"
                + " Account SID from Twilio Console > Account Info (it starts with AC).",
                finding(isolated().environment(env).read().check(), "TWILIO_ACCOUNT_SID").message());
    }

    @Test
    void smsNumberWithWhatsAppPrefixIsNamed() {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.put("TWILIO_PHONE_NUMBER", "whatsapp:+14155550100");
        assertEquals("Phone number \"whatsapp:+14155550100\" is a WhatsApp address; for SMS use \"+14155550100\""
                + " without the whatsapp: prefix.",
                finding(isolated().environment(env).read().check(), "TWILIO_PHONE_NUMBER").message());
    }

    @Test
    void sandboxSenderIsAWarningThatExplainsJoining() {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.put("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886");
        SetupReport r = isolated().environment(env).read().check();
        assertTrue(r.ok());
        Finding w = r.warnings().stream().filter(f -> f.key().equals("TWILIO_WHATSAPP_FROM")).findFirst().orElseThrow();
        assertTrue(w.message().startsWith("is Twilio's WhatsApp sandbox: only numbers that joined it receive"), w.message());
    }

    @Test
    void apiKeyWithoutSecretIsAProblem() {
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID,
                "TWILIO_API_KEY", "SK00000000000000000000000000000002", "TWILIO_PHONE_NUMBER", "+14155550100");
        SetupReport r = isolated().environment(env).read().check();
        assertEquals("TWILIO_API_KEY is set but TWILIO_API_SECRET is not: an API key needs its secret, shown once when"
                + " the key was created; if it is lost, create a new key.", finding(r, "TWILIO_API_SECRET").message());
    }

    @Test
    void apiKeyAndSecretBuildApiKeyCredentials() {
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID,
                "TWILIO_API_KEY", "SK00000000000000000000000000000002",
                "TWILIO_API_SECRET", "AbCdEfGh0123456789AbCdEfGh012345", "TWILIO_PHONE_NUMBER", "+14155550100");
        TwilioConfig c = isolated().environment(env).read().toConfig();
        assertEquals("SK00000000000000000000000000000002", c.credentials().username());
    }

    @Test
    void exampleTokenAndPlaceholderSidFromTheDocsAreRecognised() {
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "TWILIO_AUTH_TOKEN", "your_auth_token", "TWILIO_PHONE_NUMBER", "+14155550100");
        SetupReport r = isolated().environment(env).read().check();
        assertEquals("is an example value from the documentation (the placeholder SID of Twilio's docs): replace it"
                + " with your own. Copy the Account SID from Twilio Console > Account Info (it starts with AC).",
                finding(r, "TWILIO_ACCOUNT_SID").message());
        assertEquals("is an example value from the documentation (the example token of Twilio's docs and setup"
                + " guides): replace it with your own. Copy the Auth Token from Twilio Console > Account Info (click"
                + " 'Show'), or use an API key.", finding(r, "TWILIO_AUTH_TOKEN").message());
    }

    @Test
    void missingEverythingSaysWhatToSet() {
        SetupReport r = isolated().read().check();
        assertEquals(3, r.problems().size(), r.toText());
        assertTrue(finding(r, "TWILIO_ACCOUNT_SID").message().startsWith("is not set."));
        assertTrue(finding(r, "sender").message().startsWith("no sender is set: set TWILIO_PHONE_NUMBER"));
    }

    @Test
    void misspeltKeyInDotEnvGetsASuggestion() throws Exception {
        Path file = envFile("TWILIO_AUTHTOKEN=" + TestValues.AUTH_TOKEN + "\n");
        SetupReport r = isolated().envFile(file).environment(GOOD).read().check();
        assertEquals(new Finding(Severity.WARNING, "TWILIO_AUTHTOKEN", file + ":1",
                "is not a key twilio-channels reads; did you mean TWILIO_AUTH_TOKEN?"), finding(r, "TWILIO_AUTHTOKEN"));
    }

    @Test
    void plainHttpBaseUrlToARemoteHostIsAProblem() {
        Map<String, String> env = new java.util.HashMap<>(GOOD);
        env.put("TWILIO_API_BASE_URL", "http://proxy.example.com");
        assertEquals(Severity.PROBLEM, finding(isolated().environment(env).read().check(), "TWILIO_API_BASE_URL").severity());
    }

    @Test
    void reportsNeverContainTheTokenInTextOrJson() {
        SetupReport r = isolated().environment(GOOD).read().check();
        assertFalse(r.toText().contains(TestValues.AUTH_TOKEN));
        assertFalse(r.toJson().contains(TestValues.AUTH_TOKEN));
        assertEquals("set (…face)", finding(r, "TWILIO_AUTH_TOKEN").message());
        assertFalse(isolated().environment(GOOD).read().toString().contains(TestValues.AUTH_TOKEN));
        assertTrue(r.toJson().startsWith("{\"schema\":1,\"ok\":true,\"problems\":0,\"warnings\":0,\"findings\":[{\"severity\":\"ok\","
                + "\"key\":\"TWILIO_ACCOUNT_SID\""),
                r.toJson());
    }
}
