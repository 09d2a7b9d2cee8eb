package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.mock.env.MockEnvironment;
import org.twiliochannels.testing.FakeTwilio;

/** The doctor as a health indicator: offline by default, live checks cached by the clock. */
@Timeout(30)
class TwilioHealthIndicatorTest {
    private final FakeTwilio twilio = FakeTwilio.start();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @AfterEach
    void stop() {
        twilio.close();
    }

    private TwilioSettings settings(String phoneNumber) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("twilio.account-sid", twilio.accountSid().value())
                .withProperty("twilio.auth-token", twilio.authToken().revealSecret())
                .withProperty("twilio.api-base-url", twilio.baseUrl().toString())
                .withProperty("twilio.phone-number", phoneNumber);
        return TwilioSettings.of(new TwilioProperties(), environment);
    }

    @Test
    void offlineChecksNeverCallTwilio() {
        Health h = new TwilioHealthIndicator(settings(FakeTwilio.DEFAULT_SMS_NUMBER.value()), false,
                Duration.ofMinutes(5), clock).health();
        assertEquals(Status.UP, h.getStatus());
        assertEquals(false, h.getDetails().get("live"));
        // the fake's number is one of Twilio's magic test numbers: a warning, which keeps the status UP
        assertTrue(String.valueOf(h.getDetails().get("twilio.phone-number"))
                .startsWith("warning: is one of Twilio's magic test numbers"), h.toString());
        assertEquals(0, twilio.requestCount());
    }

    @Test
    void liveChecksAreCachedForTheConfiguredTime() {
        TwilioHealthIndicator health = new TwilioHealthIndicator(settings(FakeTwilio.DEFAULT_SMS_NUMBER.value()), true,
                Duration.ofMinutes(5), clock);
        assertEquals(Status.UP, health.health().getStatus());
        int calls = twilio.requestCount();
        assertTrue(calls > 0);

        now = now.plus(Duration.ofMinutes(4));
        assertEquals(Status.UP, health.health().getStatus());
        assertEquals(calls, twilio.requestCount(), "cached: no new call within 5 minutes");

        now = now.plus(Duration.ofMinutes(1));
        assertEquals(Status.UP, health.health().getStatus());
        assertEquals(2 * calls, twilio.requestCount(), "checked again after 5 minutes");
    }

    @Test
    void liveCheckOfANumberTheAccountDoesNotOwnIsDown() {
        Health h = new TwilioHealthIndicator(settings("+14155550199"), true, Duration.ofMinutes(5), clock).health();
        assertEquals(Status.DOWN, h.getStatus(), h.toString());
        assertTrue(h.getDetails().values().stream().anyMatch(v -> String.valueOf(v).startsWith("problem: ")),
                h.toString());
    }
}
