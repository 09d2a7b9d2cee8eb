package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.SetupReport;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.TwilioEnvironment;
import org.twiliochannels.core.settings.TwilioEnvironment.SettingKey;
import org.twiliochannels.testing.FakeTwilio;

/**
 * Every key of the library's registry works under Spring Boot, under its {@code twilio.*}
 * property and its environment variable, and the starter's configuration metadata lists exactly
 * the registry's properties and the starter's own: a key that exists in one place only fails here.
 */
@Timeout(60)
class SettingsRegistryBootTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    /** The {@code twilio.*} properties of the starter's own, which are not library keys. */
    private static final List<String> STARTER_PROPERTIES = List.of("twilio.enabled", "twilio.senders",
            "twilio.connect-timeout", "twilio.read-timeout", "twilio.send-deadline", "twilio.retry.max-attempts",
            "twilio.retry.settle-from-log", "twilio.retry.settle-delay", "twilio.retry.retry-ambiguous-failures",
            "twilio.health.live", "twilio.health.cache-for",
            "twilio.webhooks.enabled", "twilio.webhooks.path", "twilio.webhooks.public-base-url",
            "twilio.webhooks.deduplication-capacity", "twilio.metrics.enabled", "twilio.outbox.enabled",
            "twilio.outbox.table-prefix", "twilio.outbox.worker", "twilio.dashboard.enabled", "twilio.dashboard.path",
            "twilio.dashboard.allow-without-security", "twilio.dashboard.refresh", "twilio.dashboard.account-cap",
            "twilio.dashboard.title", "twilio.templates.poll-every", "twilio.templates.deploy-on-start");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioAutoConfiguration.class, TwilioHealthAutoConfiguration.class));

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** A right value for every key of the registry; a key added to the registry without one here fails. */
    private static Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(TwilioEnvironment.ACCOUNT_SID, TWILIO.accountSid().value());
        v.put(TwilioEnvironment.AUTH_TOKEN, TWILIO.authToken().revealSecret());
        v.put(TwilioEnvironment.API_KEY, "SK0123456789abcdef0123456789abcdee");
        v.put(TwilioEnvironment.API_SECRET, "AbCdEfGh0123456789AbCdEfGh012345");
        v.put(TwilioEnvironment.PHONE_NUMBER, "+14155550100");
        v.put(TwilioEnvironment.MESSAGING_SERVICE_SID, "MG0123456789abcdef0123456789abcdee");
        v.put(TwilioEnvironment.WHATSAPP_FROM, "whatsapp:+14155550101");
        v.put(TwilioEnvironment.STATUS_CALLBACK, "https://hooks.acme.test/twilio/status");
        v.put(TwilioEnvironment.API_BASE_URL, "https://twilio-gw.acme.test");
        v.put(TwilioEnvironment.REGION, "ie1");
        v.put(TwilioEnvironment.EDGE, "dublin");
        v.put(TwilioEnvironment.PROXY_URL, "http://127.0.0.1:3128");
        v.put(TwilioEnvironment.PROXY_NO_PROXY, "internal.acme.test");
        v.put(TwilioEnvironment.HTTPS_PROXY, "http://127.0.0.2:3129");
        v.put(TwilioEnvironment.NO_PROXY, "other.acme.test");
        assertEquals(TwilioEnvironment.KEYS, new ArrayList<>(v.keySet()), "one value per registry key");
        return v;
    }

    private static Finding finding(SetupReport report, String key) {
        return report.findings().stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + key + " in " + report.toText()));
    }

    @Test
    void everyKeyOfTheRegistryIsReadFromItsEnvironmentVariableUnderBoot() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace("systemEnvironment",
                new SystemEnvironmentPropertySource("systemEnvironment", Collections.unmodifiableMap(values()))))
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    SetupReport report = context.getBean(TwilioSettings.class).check();
                    for (SettingKey key : TwilioEnvironment.REGISTRY) {
                        Finding f = finding(report, key.property().orElse(key.name()));
                        assertFalse(f.severity() == SetupReport.Severity.PROBLEM, f.toString());
                        assertTrue(f.source().contains(key.property().isPresent() ? "\"" + key.name() + "\"" : "env"),
                                key.name() + " is read from its variable: " + f);
                    }
                    TwilioConfig config = context.getBean(TwilioConfig.class);
                    assertEquals("ie1", config.region().orElseThrow());
                    assertEquals("dublin", config.edge().orElseThrow());
                    assertEquals(HttpProxy.of("127.0.0.1", 3128).withNonProxyHosts(List.of(".internal.acme.test")),
                            config.proxy().orElseThrow());
                    assertEquals("https://hooks.acme.test/twilio/status", config.statusCallback().orElseThrow()
                            .toString());
                });
    }

    @Test
    void everyKeyWithAPropertyIsReadFromItUnderBoot() {
        List<String> pairs = new ArrayList<>();
        Map<String, String> shell = new LinkedHashMap<>();
        values().forEach((name, value) -> TwilioEnvironment.REGISTRY.stream().filter(k -> k.name().equals(name))
                .findFirst().orElseThrow().property().ifPresentOrElse(p -> pairs.add(p + "=" + value),
                        () -> shell.put(name, value)));
        runner.withPropertyValues(pairs.toArray(String[]::new))
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace("systemEnvironment",
                        new SystemEnvironmentPropertySource("systemEnvironment", Map.copyOf(shell))))
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    SetupReport report = context.getBean(TwilioSettings.class).check();
                    for (SettingKey key : TwilioEnvironment.REGISTRY) {
                        key.property().ifPresent(p -> assertFalse(finding(report, p).source().contains("\""
                                + key.name() + "\""), "read from " + p + ", not the variable"));
                    }
                    assertEquals("ie1", context.getBean(TwilioConfig.class).region().orElseThrow());
                });
    }

    @Test
    void theJvmProxyPropertiesAndHttpsProxyApplyUnlessTwilioProxySaysOtherwise() {
        String[] fake = {"twilio.account-sid=" + TWILIO.accountSid().value(),
                "twilio.auth-token=" + TWILIO.authToken().revealSecret(), "twilio.phone-number=+14155550100",
                "twilio.region=au1"};
        runner.withPropertyValues(fake).withSystemProperties("https.proxyHost=127.0.0.1", "https.proxyPort=3128",
                "http.nonProxyHosts=localhost").run(context -> {
                    assertNull(context.getStartupFailure());
                    assertEquals(HttpProxy.of("127.0.0.1", 3128).withNonProxyHosts(List.of("localhost")),
                            context.getBean(TwilioConfig.class).proxy().orElseThrow());
                    Health health = context.getBean("twilioHealthIndicator", HealthIndicator.class).health();
                    assertEquals("ok: https://api.au1.twilio.com", health.getDetails().get("api host"));
                    assertEquals("ok: 127.0.0.1:3128, not for localhost", health.getDetails().get("proxy"));
                });
        runner.withPropertyValues(fake).withInitializer(context -> context.getEnvironment().getPropertySources()
                .replace("systemEnvironment", new SystemEnvironmentPropertySource("systemEnvironment",
                        Map.of("https_proxy", "http://127.0.0.1:3129", "NO_PROXY", "twilio.com"))))
                .run(context -> {
                    HttpProxy proxy = context.getBean(TwilioConfig.class).proxy().orElseThrow();
                    assertEquals(3129, proxy.port());
                    assertTrue(proxy.bypasses("api.au1.twilio.com"), "NO_PROXY=twilio.com covers its hosts, as curl");
                    assertEquals("ok: 127.0.0.1:3129, not for .twilio.com; not used for api.au1.twilio.com, which is"
                            + " listed as reached directly", context.getBean("twilioHealthIndicator",
                            HealthIndicator.class).health().getDetails().get("proxy"));
                });
        runner.withPropertyValues(fake).withPropertyValues("twilio.proxy.url=direct")
                .withSystemProperties("https.proxyHost=127.0.0.1", "https.proxyPort=3128")
                .run(context -> assertTrue(context.getBean(TwilioConfig.class).proxy().isEmpty()));
    }

    @Test
    void pluginSendersFromTheirVariablesOrPropertiesReachTheConfigAndTheDoctor() {
        runner.withPropertyValues("twilio.account-sid=" + TWILIO.accountSid().value(),
                "twilio.auth-token=" + TWILIO.authToken().revealSecret(), "twilio.senders.google-rbm=rbm:agent")
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace("systemEnvironment",
                        new SystemEnvironmentPropertySource("systemEnvironment",
                                Map.of("TWILIO_MESSENGER_FROM", "messenger:1234567890"))))
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    assertEquals(Map.of("messenger", "messenger:1234567890", "google-rbm", "rbm:agent"),
                            context.getBean(TwilioConfig.class).senders());
                    SetupReport report = context.getBean(TwilioSettings.class).check();
                    assertEquals("sender of channel plug-in \"messenger\": messenger:1234567890",
                            finding(report, "TWILIO_MESSENGER_FROM").message());
                });
    }

    @Test
    void theConfigurationMetadataListsExactlyTheRegistryAndTheStartersOwnProperties() throws Exception {
        TreeSet<String> expected = new TreeSet<>(STARTER_PROPERTIES);
        TwilioEnvironment.REGISTRY.forEach(k -> k.property().ifPresent(expected::add));
        TreeSet<String> metadata = new TreeSet<>();
        List<URL> files = Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
        for (URL file : files) {
            try (InputStream in = file.openStream()) {
                for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
                    if (p.path("sourceType").asText().startsWith(TwilioProperties.class.getName())) {
                        metadata.add(p.path("name").asText());
                    }
                }
            }
        }
        assertEquals(expected, metadata);
    }
}
