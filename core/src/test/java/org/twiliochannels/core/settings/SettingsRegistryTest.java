package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.ProxyPassword;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.Examples.Example;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;
import org.twiliochannels.core.testsupport.TestValues;

class SettingsRegistryTest {
    @TempDir
    Path dir;

    static Map<String, String> good() {
        Map<String, String> env = new HashMap<>();
        env.put(TwilioEnvironment.ACCOUNT_SID, TestValues.ACCOUNT_SID);
        env.put(TwilioEnvironment.AUTH_TOKEN, TestValues.AUTH_TOKEN);
        env.put(TwilioEnvironment.PHONE_NUMBER, "+14155550100");
        return env;
    }

    static TwilioEnvironment read(Map<String, String> env, Properties props) {
        return TwilioEnvironment.builder().noEnvFile().environment(env).systemProperties(props).read();
    }

    static TwilioEnvironment read(Map<String, String> env) {
        return read(env, new Properties());
    }

    static Finding finding(SetupReport r, String key) {
        return r.findings().stream().filter(f -> f.key().equals(key)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + key + " in " + r.toText()));
    }

    // ---- the registry

    @Test
    void everyKeyIsInTheRegistryOnceAndKeysListsThem() {
        assertEquals(List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET",
                "TWILIO_PHONE_NUMBER", "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_WHATSAPP_FROM", "TWILIO_STATUS_CALLBACK",
                "TWILIO_API_BASE_URL", "TWILIO_REGION", "TWILIO_EDGE", "TWILIO_PROXY_URL", "TWILIO_PROXY_NO_PROXY",
                "HTTPS_PROXY", "NO_PROXY"), TwilioEnvironment.KEYS);
        assertEquals(List.of("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET"),
                Keys.ALL.stream().filter(Keys.Key::secret).map(Keys.Key::name).toList());
        assertEquals(TwilioEnvironment.KEYS, TwilioEnvironment.REGISTRY.stream().map(TwilioEnvironment.SettingKey::name)
                .toList());
    }

    @Test
    void everyTwilioKeyHasThePropertyWhoseRelaxedEnvironmentFormItIs() {
        for (TwilioEnvironment.SettingKey k : TwilioEnvironment.REGISTRY) {
            if (k.name().startsWith("TWILIO_")) {
                String property = k.property().orElseThrow(() -> new AssertionError(k.name() + " has no property"));
                assertTrue(property.startsWith("twilio."), property);
                assertEquals(k.name(), property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                        "Spring's relaxed binding reads " + property + " from " + k.name());
                assertEquals(List.of(k.name()), k.environment());
            } else {
                assertTrue(k.property().isEmpty(), k.name() + " is the shell's, read under its own names only");
                assertEquals(List.of(k.name(), k.name().toLowerCase(java.util.Locale.ROOT)), k.environment());
            }
        }
        assertEquals(List.of("https.proxyHost", "https.proxyPort", "https.proxyUser", "https.proxyPassword",
                "http.nonProxyHosts"), TwilioEnvironment.PROXY_SYSTEM_PROPERTIES);
    }

    @Test
    void aValueSetInCodeKeepsTheSourceItWasGiven() {
        TwilioEnvironment settings = TwilioEnvironment.builder().noEnvFile().environment(Map.of())
                .systemProperties(new Properties()).set(TwilioEnvironment.REGION, "ie1", "application.yml:3").read();
        assertEquals("application.yml:3", settings.setting(TwilioEnvironment.REGION).orElseThrow().source());
    }

    @Test
    void setRejectsAnUnknownKeyAndNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TwilioEnvironment.builder().set("TWILIO_TOKEN", "x"));
        assertTrue(e.getMessage().startsWith("unknown key TWILIO_TOKEN; known keys: TWILIO_ACCOUNT_SID,"), e.getMessage());
        assertTrue(e.getMessage().endsWith(", and TWILIO_<ID>_FROM for the sender of a channel plug-in"), e.getMessage());
    }

    // ---- .env lookup

    private TwilioEnvironment readIn(Path directory, Map<String, String> env) {
        return TwilioEnvironment.builder().directory(directory).environment(env).systemProperties(new Properties()).read();
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void onlyBackendEnvIsReadAndTheReportSaysWhereItLooked() throws Exception {
        write(dir.resolve("backend/.env"), "TWILIO_ACCOUNT_SID=" + TestValues.ACCOUNT_SID + "\nTWILIO_AUTH_TOKEN="
                + TestValues.AUTH_TOKEN + "\nTWILIO_PHONE_NUMBER=+14155550100\n");
        TwilioEnvironment env = readIn(dir, Map.of());
        SetupReport r = env.check();
        assertTrue(r.ok(), r.toText());
        Path abs = dir.toAbsolutePath().normalize();
        assertEquals(new Finding(Severity.OK, ".env", "backend/.env", "read 3 values from " + abs.resolve("backend/.env")
                + "; looked for " + abs.resolve(".env") + " and " + abs.resolve("backend/.env")
                + ", the first one found is read"), finding(r, ".env"));
        assertEquals("backend/.env:2", env.setting(TwilioEnvironment.AUTH_TOKEN).orElseThrow().source());
        assertEquals(TestValues.ACCOUNT_SID, env.toConfig().credentials().accountSid().value());
    }

    @Test
    void whenBothExistDotEnvWinsAndBackendEnvIsNotRead() throws Exception {
        write(dir.resolve(".env"), "TWILIO_PHONE_NUMBER=+14155550100\n");
        write(dir.resolve("backend/.env"), "TWILIO_PHONE_NUMBER=+14155550199\nTWILIO_REGION=ie1\n");
        TwilioEnvironment env = readIn(dir, good());
        assertEquals("env", env.setting(TwilioEnvironment.PHONE_NUMBER).orElseThrow().source());
        assertTrue(env.setting(TwilioEnvironment.REGION).isEmpty(), "backend/.env is not merged");
        Map<String, String> noPhone = good();
        noPhone.remove(TwilioEnvironment.PHONE_NUMBER);
        TwilioEnvironment fromFile = readIn(dir, noPhone);
        assertEquals(".env:1", fromFile.setting(TwilioEnvironment.PHONE_NUMBER).orElseThrow().source());
        List<Finding> files = fromFile.check().findings().stream().filter(f -> f.key().equals(".env")).toList();
        assertEquals(2, files.size(), files.toString());
        assertEquals(new Finding(Severity.WARNING, ".env", "backend/.env", "not read: .env was found first and only"
                + " one .env file is read; move these values into " + dir.toAbsolutePath().normalize().resolve(".env")
                + ", or delete one of the two files."), files.get(1));
    }

    @Test
    void noEnvFileFoundSaysWhereToPutOne() {
        SetupReport withoutCredentials = readIn(dir, Map.of()).check();
        Path abs = dir.toAbsolutePath().normalize();
        assertEquals(new Finding(Severity.WARNING, ".env", "", "no .env file found: looked for " + abs.resolve(".env")
                + " and " + abs.resolve("backend/.env") + ". To keep the settings in a file, put lines such as"
                + " TWILIO_ACCOUNT_SID=AC\u2026 in " + abs.resolve(".env") + "."), finding(withoutCredentials, ".env"));
        assertEquals(Severity.OK, finding(readIn(dir, good()).check(), ".env").severity(),
                "settings from the environment need no file");
    }

    @Test
    void aNamedEnvFileIsTheOnlyOneRead() throws Exception {
        write(dir.resolve(".env"), "TWILIO_PHONE_NUMBER=+14155550199\n");
        Path named = dir.resolve("config/twilio.env");
        write(named, "TWILIO_PHONE_NUMBER=+14155550100\n");
        Map<String, String> env = good();
        env.remove(TwilioEnvironment.PHONE_NUMBER);
        TwilioEnvironment settings = TwilioEnvironment.builder().directory(dir).envFile(named).environment(env)
                .systemProperties(new Properties()).read();
        assertEquals(named + ":1", settings.setting(TwilioEnvironment.PHONE_NUMBER).orElseThrow().source());
        assertEquals("+14155550100", settings.setting(TwilioEnvironment.PHONE_NUMBER).orElseThrow().display());
        assertTrue(TwilioEnvironment.builder().directory(dir).noEnvFile().environment(env)
                .systemProperties(new Properties()).read().setting(TwilioEnvironment.PHONE_NUMBER).isEmpty());
    }

    // ---- example values: every sample of the catalogue is recognised under each of its keys

    @Test
    void everySampleOfTheCatalogueIsReportedAsAnExampleWithTheKeysFix() {
        int checked = 0;
        for (Example e : Examples.CATALOGUE) {
            for (String sample : e.samples()) {
                for (String key : keysFor(e, sample)) {
                    Map<String, String> env = good();
                    env.put(key, sample);
                    if (key.equals(TwilioEnvironment.API_KEY)) {
                        env.put(TwilioEnvironment.API_SECRET, "AbCdEfGh0123456789AbCdEfGh012345");
                    }
                    SetupReport r = read(env).check();
                    Finding f = r.findings().stream().filter(x -> x.key().equals(key)
                            && x.severity() == e.severity()).findFirst()
                            .orElseThrow(() -> new AssertionError(key + "=" + sample + ": " + r.toText()));
                    String fix = Keys.byName(key).orElseThrow().fix();
                    assertEquals(Examples.message(e, fix), f.message(), key + "=" + sample);
                    assertTrue(f.message().endsWith(fix));
                    if (e.severity() == Severity.PROBLEM) {
                        assertTrue(f.message().startsWith("is an example value from the documentation ("), f.message());
                        assertThrows(org.twiliochannels.core.ChannelConfigurationException.class,
                                () -> read(env).toConfig(), key + "=" + sample);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked >= 35, "checked " + checked);
    }

    private static List<String> keysFor(Example e, String sample) {
        if (e.keys() == null) {
            return List.of(TwilioEnvironment.ACCOUNT_SID, TwilioEnvironment.AUTH_TOKEN, TwilioEnvironment.PHONE_NUMBER);
        }
        if (e.keys().contains(TwilioEnvironment.ACCOUNT_SID)) {
            return List.of(sample.startsWith("AC") ? TwilioEnvironment.ACCOUNT_SID : sample.startsWith("SK")
                    ? TwilioEnvironment.API_KEY : TwilioEnvironment.MESSAGING_SERVICE_SID);
        }
        if (e.keys().contains(TwilioEnvironment.WHATSAPP_FROM)) {
            return List.of(sample.startsWith("whatsapp:") ? TwilioEnvironment.WHATSAPP_FROM : TwilioEnvironment.PHONE_NUMBER);
        }
        return e.keys().stream().sorted().toList();
    }

    @Test
    void theMagicTestNumberIsAWarningNotAProblem() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.PHONE_NUMBER, "+15005550006");
        SetupReport r = read(env).check();
        assertTrue(r.ok(), r.toText());
        assertEquals("is one of Twilio's magic test numbers: it works only with test credentials (Twilio Console >"
                + " Account > API keys & tokens > Test credentials), and real credentials cannot send from it. Use an"
                + " SMS-capable number of your account (Twilio Console > Phone Numbers > Manage > Active numbers).",
                finding(r, TwilioEnvironment.PHONE_NUMBER).message());
        assertEquals("+15005550006", read(env).toConfig().smsFrom().orElseThrow().value());
    }

    @Test
    void aNumberInvalidForItsCountryNamesTheKeyAndTheCountry() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.PHONE_NUMBER, "+1415555");
        assertEquals(new Finding(Severity.PROBLEM, TwilioEnvironment.PHONE_NUMBER, "env", "Phone number \"+1415555\" is"
                + " too short for a number in the United States (+1): check that no digit (or the area code) is missing."
                + " E.164 is + then the country code and the number, with no spaces or punctuation, e.g. +14155551234."),
                finding(read(env).check(), TwilioEnvironment.PHONE_NUMBER));
    }

    // ---- region, edge, API host

    @Test
    void regionAndEdgeGoToTheConfigAndTheDoctorPrintsTheApiHost() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.REGION, "ie1");
        env.put(TwilioEnvironment.EDGE, "dublin");
        TwilioConfig c = read(env).toConfig();
        assertEquals("ie1", c.region().orElseThrow());
        assertEquals("dublin", c.edge().orElseThrow());
        assertEquals("https://api.dublin.ie1.twilio.com", finding(read(env).check(), "api host").message());
        assertEquals("https://api.twilio.com (Twilio's default region, us1)",
                finding(read(good()).check(), "api host").message());
        env.remove(TwilioEnvironment.REGION);
        assertEquals("https://api.dublin.us1.twilio.com", finding(read(env).check(), "api host").message());
    }

    @Test
    void aCustomBaseUrlWinsOverRegionAndEdge() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.REGION, "au1");
        env.put(TwilioEnvironment.API_BASE_URL, "http://localhost:8080");
        SetupReport r = read(env).check();
        assertEquals("http://localhost:8080", finding(r, "api host").message());
        assertEquals("ignored: TWILIO_API_BASE_URL is set and wins over region and edge.",
                finding(r, TwilioEnvironment.REGION).message());
    }

    @Test
    void anApiKeyWithARegionGetsAWarningAboutItsRegion() {
        Map<String, String> env = good();
        env.remove(TwilioEnvironment.AUTH_TOKEN);
        env.put(TwilioEnvironment.API_KEY, "SK00000000000000000000000000000002");
        env.put(TwilioEnvironment.API_SECRET, "AbCdEfGh0123456789AbCdEfGh012345");
        env.put(TwilioEnvironment.REGION, "ie1");
        SetupReport r = read(env).check();
        assertTrue(r.ok(), r.toText());
        assertEquals(new Finding(Severity.WARNING, TwilioEnvironment.API_KEY, "env", "is used with region ie1: API keys"
                + " belong to one region, so make sure this key was created in region ie1 (Twilio Console, with that"
                + " region selected); a key of another region fails with 20003."), finding(r, TwilioEnvironment.API_KEY));
    }

    @Test
    void regionAndEdgeAreCheckedForShapeAndSpelling() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.REGION, "IE1");
        env.put(TwilioEnvironment.EDGE, "dubln");
        SetupReport r = read(env).check();
        assertEquals("TWILIO_REGION \"IE1\" must be lower-case letters, digits and '-', e.g. ie1.",
                finding(r, TwilioEnvironment.REGION).message());
        assertEquals(Severity.WARNING, finding(r, TwilioEnvironment.EDGE).severity());
        assertTrue(finding(r, TwilioEnvironment.EDGE).message().startsWith("\"dubln\" is not one of Twilio's edge"
                + " locations known here ("), finding(r, TwilioEnvironment.EDGE).message());
    }

    // ---- proxies

    @Test
    void httpsProxyWithCredentialsIsUsedAndItsPasswordNeverShown() {
        Map<String, String> env = good();
        env.put("https_proxy", "http://alice:s3cr3t-pa55@proxy.example.com:3128");
        env.put(TwilioEnvironment.NO_PROXY, "localhost, .internal.example.com");
        TwilioEnvironment settings = read(env);
        TwilioConfig c = settings.toConfig();
        HttpProxy expected = HttpProxy.of("proxy.example.com", 3128)
                .withCredentials("alice", ProxyPassword.of("s3cr3t-pa55"))
                .withNonProxyHosts(List.of(".localhost", ".internal.example.com"));
        assertEquals(expected, c.proxy().orElseThrow());
        SetupReport r = settings.check();
        assertEquals(new Finding(Severity.OK, "proxy", "env https_proxy", "proxy.example.com:3128 as user ***ce"
                + " (password set), not for .localhost, .internal.example.com"), finding(r, "proxy"));
        assertEquals("http://***ce:***@proxy.example.com:3128",
                settings.setting(TwilioEnvironment.HTTPS_PROXY).orElseThrow().display());
        for (String output : List.of(r.toText(), r.toJson(), settings.toString(), c.toString())) {
            assertFalse(output.contains("s3cr3t") || output.contains("alice"), output);
        }
    }

    @Test
    void theJvmProxyPropertiesWinOverHttpsProxy() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "jvm-proxy.example.com");
        props.setProperty("https.proxyPort", "8443");
        props.setProperty("http.nonProxyHosts", "localhost|*.twilio.com");
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://env-proxy.example.com:3128");
        TwilioEnvironment settings = read(env, props);
        assertEquals(HttpProxy.of("jvm-proxy.example.com", 8443).withNonProxyHosts(List.of("localhost", "*.twilio.com")),
                settings.toConfig().proxy().orElseThrow());
        SetupReport r = settings.check();
        assertEquals(new Finding(Severity.OK, "proxy", "system property https.proxyHost", "jvm-proxy.example.com:8443,"
                + " not for localhost, *.twilio.com; not used for api.twilio.com, which is listed as reached directly"),
                finding(r, "proxy"));
        assertEquals("ignored: the JVM's https.proxyHost is set and wins.", finding(r, TwilioEnvironment.HTTPS_PROXY)
                .message());
    }

    @Test
    void badProxySettingsAreProblemsNamingTheFix() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "proxy.example.com");
        props.setProperty("https.proxyPort", "99999");
        assertEquals("https.proxyPort \"99999\" must have a port between 1 and 65535, e.g. 3128",
                finding(read(good(), props).check(), "proxy").message());
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "https://bob:hunter22@proxy.example.com:3128");
        String message = finding(read(env).check(), TwilioEnvironment.HTTPS_PROXY).message();
        assertEquals("proxy URL \"https://[user info removed]@proxy.example.com:3128\" must be an http:// proxy URL:"
                + " twilio-channels does not speak TLS to the proxy itself (requests to Twilio stay encrypted end to end"
                + " through the proxy's tunnel); give http://proxy.example.com:3128", message);
        assertEquals("none: direct connections", finding(read(good()).check(), "proxy").message());
    }

    @Test
    void twilioProxyUrlWinsOverTheJvmPropertiesAndHttpsProxy() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "jvm-proxy.example.com");
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://env-proxy.example.com:3128");
        env.put(TwilioEnvironment.NO_PROXY, "example.org");
        env.put(TwilioEnvironment.PROXY_URL, "http://carol:fake-pw-1@own-proxy.example.com:8080");
        env.put(TwilioEnvironment.PROXY_NO_PROXY, "localhost,10.0.0.0/8");
        TwilioEnvironment settings = read(env, props);
        assertEquals(HttpProxy.of("own-proxy.example.com", 8080).withCredentials("carol", ProxyPassword.of("fake-pw-1"))
                .withNonProxyHosts(List.of(".localhost", "10.0.0.0/8")), settings.toConfig().proxy().orElseThrow());
        SetupReport r = settings.check();
        assertEquals(new Finding(Severity.OK, "proxy", "env", "own-proxy.example.com:8080 as user ***ol (password set),"
                + " not for .localhost, 10.0.0.0/8"), finding(r, "proxy"));
        assertEquals("ignored: TWILIO_PROXY_URL is set and wins.", finding(r, TwilioEnvironment.HTTPS_PROXY).message());
        assertEquals("http://***ol:***@own-proxy.example.com:8080",
                settings.setting(TwilioEnvironment.PROXY_URL).orElseThrow().display());
        assertFalse(r.toText().contains("fake-pw-1") || settings.toString().contains("fake-pw-1"), r.toText());
        assertFalse(r.toText().contains("carol") || r.toJson().contains("carol") || settings.toString().contains("carol"),
                r.toText());
    }

    @Test
    void twilioProxyUrlDirectTurnsEveryOtherProxySettingOff() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "jvm-proxy.example.com");
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://env-proxy.example.com:3128");
        env.put(TwilioEnvironment.PROXY_URL, "direct");
        TwilioEnvironment settings = read(env, props);
        assertTrue(settings.toConfig().proxy().isEmpty());
        assertEquals(new Finding(Severity.OK, "proxy", "env", "none: direct connections"),
                finding(settings.check(), "proxy"));
    }

    @Test
    void twilioProxyNoProxyReplacesTheListOfTheJvmProxy() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "jvm-proxy.example.com");
        props.setProperty("https.proxyPort", "3128");
        props.setProperty("http.nonProxyHosts", "*.twilio.com");
        Map<String, String> env = good();
        env.put(TwilioEnvironment.PROXY_NO_PROXY, "internal.example.com");
        TwilioEnvironment settings = read(env, props);
        assertEquals(List.of(".internal.example.com"), settings.toConfig().proxy().orElseThrow().nonProxyHosts());
        assertEquals("jvm-proxy.example.com:3128, not for .internal.example.com", finding(settings.check(), "proxy")
                .message());
    }

    @Test
    void aBadTwilioProxyUrlIsAProblemWithoutThePassword() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.PROXY_URL, "socks5://dave:fake-pw-2@proxy.example.com:1080");
        SetupReport r = read(env).check();
        assertEquals(new Finding(Severity.PROBLEM, TwilioEnvironment.PROXY_URL, "env", "proxy URL"
                + " \"socks5://[user info removed]@proxy.example.com:1080\" must be an http:// proxy URL, e.g."
                + " http://proxy.example.com:3128; socks5 proxies are not supported"),
                finding(r, TwilioEnvironment.PROXY_URL));
        assertFalse(r.toText().contains("fake-pw-2"), r.toText());
    }

    // ---- plug-in senders

    @Test
    void aPluginSenderKeyGoesToTheConfigUnderItsChannelId() {
        Map<String, String> env = good();
        env.put("TWILIO_MESSENGER_FROM", "messenger:1234567890");
        env.put("TWILIO_GOOGLE_RBM_FROM", "rbm:agent");
        TwilioEnvironment settings = read(env);
        TwilioConfig c = settings.toConfig();
        assertEquals(Map.of("messenger", "messenger:1234567890", "google-rbm", "rbm:agent"), c.senders());
        SetupReport r = settings.check();
        assertTrue(r.ok(), r.toText());
        assertTrue(r.findings().contains(new Finding(Severity.OK, "TWILIO_MESSENGER_FROM", "env",
                "sender of channel plug-in \"messenger\": messenger:1234567890")), r.toText());
        assertTrue(finding(r, "TWILIO_MESSENGER_FROM").message().startsWith("no channel plug-in \"messenger\" is on"
                + " the class path (found: "), r.toText());
        assertEquals("sms ready, whatsapp not set up, google-rbm ready, messenger ready", finding(r, "channels").message());
    }

    @Test
    void aMisspeltKnownKeyIsNotTakenForAPluginSender() {
        Map<String, String> env = good();
        env.put("TWILIO_WHATSAP_FROM", "whatsapp:+14155550100");
        TwilioEnvironment settings = read(env);
        assertTrue(settings.toConfig().senders().isEmpty());
        assertEquals(new Finding(Severity.WARNING, "TWILIO_WHATSAP_FROM", "", "is not a key twilio-channels reads; did"
                + " you mean TWILIO_WHATSAPP_FROM?"), finding(settings.check(), "TWILIO_WHATSAP_FROM"));
    }
}
