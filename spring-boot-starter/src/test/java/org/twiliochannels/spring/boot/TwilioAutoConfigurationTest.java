package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.TwilioEnvironment;
import org.twiliochannels.micrometer.MicrometerTwilioListener;
import org.twiliochannels.testing.FakeTwilio;

/** The auto-configuration without a web server: binding, failures, conditions, the user's own beans. */
@Timeout(30)
class TwilioAutoConfigurationTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioMetricsAutoConfiguration.class, TwilioAutoConfiguration.class,
                    TwilioHealthAutoConfiguration.class));

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    private static String[] fake(String... more) {
        String[] base = {"twilio.account-sid=" + TWILIO.accountSid().value(),
                "twilio.auth-token=" + TWILIO.authToken().revealSecret(),
                "twilio.api-base-url=" + TWILIO.baseUrl()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** What the doctor says about {@code value} under {@code key}. */
    private static String doctor(String key, String value) {
        return TwilioEnvironment.builder().noEnvFile().environment(Map.of()).systemProperties(new java.util.Properties())
                .set(TwilioEnvironment.ACCOUNT_SID, "AC0123456789abcdef0123456789abcdee")
                .set(TwilioEnvironment.AUTH_TOKEN, "0123456789abcdef0123456789abcdee")
                .set(key, value).read().check().problems().stream().filter(f -> f.key().equals(key))
                .findFirst().orElseThrow().message();
    }

    @Test
    void bindsPropertiesIntoTheAccountAndItsChannels() {
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006", "twilio.connect-timeout=2s",
                "twilio.read-timeout=7s", "twilio.send-deadline=20s", "twilio.retry.max-attempts=3",
                "twilio.retry.settle-from-log=false", "twilio.status-callback=https://example.com/twilio/status"))
                .run(context -> {
                    TwilioConfig config = context.getBean(TwilioConfig.class);
                    assertEquals(TWILIO.accountSid(), config.credentials().accountSid());
                    assertEquals("+15005550006", config.smsFrom().orElseThrow().value());
                    assertEquals(Duration.ofSeconds(2), config.connectTimeout());
                    assertEquals(Duration.ofSeconds(7), config.readTimeout());
                    assertEquals(Duration.ofSeconds(20), config.sendDeadline());
                    assertEquals(3, config.retryPolicy().maxAttempts());
                    assertFalse(config.retryPolicy().settleFromLog());
                    assertEquals("https://example.com/twilio/status", config.statusCallback().orElseThrow().toString());
                    assertTrue(context.containsBean("smsChannel"));
                    assertFalse(context.containsBean("whatsappChannel"), "no WhatsApp sender is set");
                    assertEquals("sms", context.getBean(Channel.class).id());
                    assertSame(context.getBean(TwilioAccount.class), context.getBean(Channel.class).account());
                });
    }

    @Test
    void retryAmbiguousFailuresIsOffByDefaultAndBindsFromItsProperty() {
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006")).run(context ->
                assertFalse(context.getBean(TwilioConfig.class).retryPolicy().retryAmbiguousFailures()));
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006", "twilio.retry.retry-ambiguous-failures=true"))
                .run(context -> {
                    assertTrue(context.getBean(TwilioConfig.class).retryPolicy().retryAmbiguousFailures());
                    assertTrue(context.getBean(TwilioConfig.class).retryPolicy().settleFromLog(),
                            "the other retry settings keep their defaults");
                });
    }

    @Test
    void environmentVariableNamesBindByRelaxedBinding() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace("systemEnvironment",
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                        "TWILIO_ACCOUNT_SID", TWILIO.accountSid().value(),
                        "TWILIO_AUTH_TOKEN", TWILIO.authToken().revealSecret(),
                        "TWILIO_PHONE_NUMBER", "+15005550006",
                        "TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886",
                        "TWILIO_API_BASE_URL", TWILIO.baseUrl().toString(),
                        "TWILIO_RETRY_MAX_ATTEMPTS", "2"))))
                .run(context -> {
                    assertNotNull(context.getStartupFailure() == null ? "started" : null, () ->
                            String.valueOf(context.getStartupFailure()));
                    TwilioConfig config = context.getBean(TwilioConfig.class);
                    assertEquals(TWILIO.accountSid(), config.credentials().accountSid());
                    assertEquals("whatsapp:+14155238886", config.whatsAppFrom().orElseThrow().value());
                    assertEquals(2, config.retryPolicy().maxAttempts());
                    assertTrue(context.containsBean("smsChannel"));
                    assertTrue(context.containsBean("whatsappChannel"));
                    context.getBean("smsChannel", Channel.class).send(Message.text("+14155550110", "Hi"));
                    assertEquals(1, TWILIO.sentTo(org.twiliochannels.core.Address.parse("+14155550110")).size());
                });
    }

    @Test
    void aWrongValueFailsTheStartWithTheDoctorsMessageAndItsSource() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace("systemEnvironment",
                new SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                        "TWILIO_PHONE_NUMBER", "(415) 555-1234"))))
                .withPropertyValues("twilio.account-sid=SK0123456789abcdef0123456789abcdef",
                        "twilio.auth-token=" + TWILIO.authToken().revealSecret())
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    assertNotNull(failure);
                    TwilioSettingsException e = root(failure);
                    String message = e.getMessage();
                    assertTrue(message.startsWith("The Twilio settings have 2 problems:"), message);
                    assertTrue(message.contains("- twilio.account-sid (")
                            && message.contains(doctor(TwilioEnvironment.ACCOUNT_SID, "SK0123456789abcdef0123456789abcdef")),
                            message);
                    assertTrue(message.contains("- twilio.phone-number (\"TWILIO_PHONE_NUMBER\" from property source \"systemEnvironment\"): "
                            + doctor(TwilioEnvironment.PHONE_NUMBER, "(415) 555-1234")), message);
                    assertFalse(message.contains(TWILIO.authToken().revealSecret()));
                    FailureAnalysis analysis = new TwilioSettingsFailureAnalyzer().analyze(failure);
                    assertEquals(message, analysis.getDescription());
                    assertTrue(analysis.getAction().contains("twilio.enabled=false"));
                });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theStartFailureReportShowsTheProblemsAndTheAction(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(Minimal.class).web(WebApplicationType.NONE)
                .properties("twilio.account-sid=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                        "twilio.auth-token=" + TWILIO.authToken().revealSecret(), "twilio.phone-number=+15005550006");
        assertThrows(Exception.class, app::run);
        String printed = output.getAll();
        assertTrue(printed.contains("APPLICATION FAILED TO START"), printed);
        assertTrue(printed.contains("- twilio.account-sid (") && printed.contains(
                doctor(TwilioEnvironment.ACCOUNT_SID, "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")), printed);
        assertTrue(printed.contains("set twilio.enabled=false to start without Twilio"), printed);
        assertFalse(printed.contains(TWILIO.authToken().revealSecret()), "the auth token was printed");
    }

    /** A minimal application: auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Minimal {}

    @Test
    void aWrongTimeoutFailsTheStartNamingTheProperty() {
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006", "twilio.read-timeout=-1s"))
                .run(context -> {
                    String message = root(context.getStartupFailure()).getMessage();
                    assertTrue(message.contains("- twilio.read-timeout (") && message.contains("readTimeout must be positive"),
                            message);
                });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006"))
                .withUserConfiguration(OwnBeans.class)
                .run(context -> {
                    assertSame(OwnBeans.ACCOUNT, context.getBean(TwilioAccount.class));
                    assertSame(OwnBeans.SMS, context.getBean("smsChannel"));
                    assertEquals(1, context.getBeansOfType(TwilioAccount.class).size());
                });
        OwnBeans.ACCOUNT.close();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final TwilioAccount ACCOUNT = TwilioAccount.open(TWILIO.config().build());
        static final Channel SMS = ACCOUNT.channel("sms");

        @Bean
        TwilioAccount myAccount() {
            return ACCOUNT;
        }

        @Bean
        Channel smsChannel() {
            return SMS;
        }
    }

    @Test
    void metricsOnlyWithAMeterRegistry() {
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006"))
                .run(context -> assertTrue(context.getBeansOfType(MicrometerTwilioListener.class).isEmpty()));
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertNotNull(context.getBean(MicrometerTwilioListener.class));
                    context.getBean(Channel.class).send(Message.text("+14155550111", "Counted"));
                    assertEquals(1.0, context.getBean(MeterRegistry.class).get("twilio.messages.sent")
                            .tag("outcome", "accepted").counter().count());
                });
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006", "twilio.metrics.enabled=false"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertTrue(context.getBeansOfType(MicrometerTwilioListener.class).isEmpty()));
    }

    @Test
    void disabledMeansNoBeans() {
        runner.withPropertyValues("twilio.enabled=false", "twilio.account-sid=not a sid")
                .run(context -> {
                    assertEquals(null, context.getStartupFailure());
                    assertTrue(context.getBeansOfType(TwilioAccount.class).isEmpty());
                    assertTrue(context.getBeansOfType(Channel.class).isEmpty());
                });
    }

    @Test
    void accountIsClosedWithTheContext() {
        TwilioAccount[] seen = new TwilioAccount[1];
        runner.withPropertyValues(fake("twilio.phone-number=+15005550006"))
                .run(context -> seen[0] = context.getBean(TwilioAccount.class));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> seen[0].channel("sms").send(Message.text("+14155550112", "After close")));
        assertInstanceOf(org.twiliochannels.core.TwilioChannelsException.class, e);
        assertTrue(TWILIO.sentTo(org.twiliochannels.core.Address.parse("+14155550112")).isEmpty());
    }

    private static TwilioSettingsException root(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof TwilioSettingsException)) {
            t = t.getCause();
        }
        assertNotNull(t, () -> "no TwilioSettingsException in " + failure);
        return (TwilioSettingsException) t;
    }
}
