package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.twiliochannels.core.Message;
import org.twiliochannels.dashboard.Dashboard;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.testing.FakeTwilio;

/**
 * The dashboard in real Boot web applications without Spring Security (this module's test class
 * path has none): off by default, refused at start unless allowed, then served with a warning.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class TwilioDashboardAutoConfigurationTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    @Test
    void theDashboardIsOffUnlessEnabled() {
        try (ConfigurableApplicationContext c = DashboardBootApp.start(TWILIO, "twilio.dashboard.enabled=false")) {
            assertTrue(c.getBeansOfType(Dashboard.class).isEmpty());
            assertEquals(404, get(c, "/twilio/dashboard").statusCode());
        }
    }

    @Test
    void withoutSpringSecurityTheApplicationDoesNotStartUnlessAllowed() {
        Throwable e = assertThrows(Exception.class, () -> DashboardBootApp.start(TWILIO).close());
        while (e.getCause() != null && !(e instanceof IllegalStateException && e.getMessage().startsWith("twilio."))) {
            e = e.getCause();
        }
        assertEquals("twilio.dashboard.enabled=true, and Spring Security is not in this application: the dashboard"
                + " shows the outbox's campaigns, error codes and masked numbers, so it is not served to anyone who can"
                + " reach the application. Add org.springframework.boot:spring-boot-starter-security (the page is then"
                + " behind the application's login), or set twilio.dashboard.allow-without-security=true to serve it"
                + " without (on a private network only).", e.getMessage());
    }

    @Test
    void allowedWithoutSecurityThePageIsServedWithAWarningAtStart(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext c = DashboardBootApp.start(TWILIO,
                "twilio.dashboard.allow-without-security=true", "twilio.dashboard.path=/ops/outbox",
                "twilio.dashboard.title=Orders outbox")) {
            assertTrue(output.getOut().contains("twilio.dashboard: /ops/outbox is served without Spring Security"
                    + " (twilio.dashboard.allow-without-security=true): anyone who can reach this application sees the"
                    + " outbox's page"), output.getOut());
            Outbox outbox = c.getBean(Outbox.class);
            outbox.enqueue(OutboxMessage.builder("sms", Message.text("+14155550188", "Your code is 1234")).key("k")
                    .batch("codes").build());

            HttpResponse<String> r = get(c, "/ops/outbox");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("text/html;charset=UTF-8", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(TwilioDashboardController.CONTENT_SECURITY_POLICY,
                    r.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertTrue(r.headers().firstValue("Cache-Control").orElseThrow().contains("no-store"));
            assertTrue(r.body().contains("<title>Orders outbox</title>"));
            assertTrue(r.body().contains("id=\"count-queued\" data-value=\"1\""), r.body());
            assertTrue(r.body().contains("+1415***0188"));
            assertFalse(r.body().contains("Your code is"), "no body");
            assertTrue(r.body().contains("the account's cap is 120000 per minute (2000 per second)"),
                    "the worker's pacing cap by default");
        }
    }

    @Test
    void aBadSettingNamesTheProperty() {
        Throwable e = assertThrows(Exception.class, () -> DashboardBootApp.start(TWILIO,
                "twilio.dashboard.allow-without-security=true", "twilio.dashboard.refresh=1s").close());
        while (e.getCause() != null && !(e instanceof IllegalStateException && e.getMessage().startsWith("twilio."))) {
            e = e.getCause();
        }
        assertEquals("twilio.dashboard: refresh 1000 ms must be at least 5 s: each page reads the outbox's database;"
                + " e.g. Duration.ofSeconds(30)", e.getMessage());
    }

    static HttpResponse<String> get(ConfigurableApplicationContext c, String path) {
        return get(c, path, null);
    }

    static HttpResponse<String> get(ConfigurableApplicationContext c, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + DashboardBootApp.port(c) + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
