package org.twiliochannels.core.internal.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.internal.twilio.TwilioTransportTest;

/**
 * README's delivery promises through the whole engine, its transport and the SDK, against a
 * loopback server: waits the server asks for that no long of nanoseconds can hold, the blind
 * retries {@code retryAmbiguousFailures(true)} promises, and redirects. The engine's sleeps are
 * recorded, not slept: no test here waits for the backoff or the settle delay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryPromisesTest {
    private static final RetryPolicy POLICY = RetryPolicy.builder().initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(2)).build();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    /** The system clocks (or a wall clock of the test's), and a sleep that only records what it was asked to wait. */
    private static final class RecordedSleeps implements Timing {
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();
        private final Instant wallClock;

        RecordedSleeps() {
            this(null);
        }

        /** The engine's wall clock stands at {@code wallClock}; null for the system's. */
        RecordedSleeps(Instant wallClock) {
            this.wallClock = wallClock;
        }

        @Override
        public long nanoTime() {
            return Timing.SYSTEM.nanoTime();
        }

        @Override
        public Instant now() {
            return wallClock != null ? wallClock : Timing.SYSTEM.now();
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
        }
    }

    private RuntimeException send(RetryPolicy policy, RecordedSleeps sleeps) {
        TwilioConfig config = TwilioTransportTest.config(server.url("/").uri()).retryPolicy(policy).build();
        try (AccountEngine engine = new AccountEngine(config, List.of(), sleeps)) {
            return assertThrows(RuntimeException.class, () -> engine.send("sms", SendDeadlineTest.SMS_LIKE,
                    Message.text(TestValues.TO, "hello"), SendOptions.defaults()));
        }
    }

    private static MockResponse rateLimited(String retryAfter) {
        return TwilioJson.error(429, 20429, "Too Many Requests").newBuilder().setHeader("Retry-After", retryAfter).build();
    }

    @Test
    void aRetryAfterNoLongCanHoldAfterAnAmbiguousAttemptStaysMayHaveBeenSent() {
        for (String retryAfter : List.of("99999999999", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT")) {
            server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
            server.enqueue(rateLimited(retryAfter));
            RecordedSleeps sleeps = new RecordedSleeps();
            RuntimeException e = send(POLICY.newBuilder().retryAmbiguousFailures(true).settleFromLog(false).build(),
                    sleeps);
            DeliveryUnknownException unknown = assertThrowsType(DeliveryUnknownException.class, e, retryAfter);
            assertTrue(unknown.mayHaveBeenSent());
            assertTrue(unknown.getMessage().contains("HTTP 429"), unknown.getMessage());
            assertEquals(1, sleeps.sleeps.size(), "only the backoff after the 503, never the wait of " + retryAfter);
        }
        assertEquals(6, server.getRequestCount());
    }

    @Test
    void aRetryAfterDateIsReadAgainstTheEnginesClockNotTheSystemClock() {
        Instant engineNow = Instant.parse("2024-05-01T10:00:00Z");
        server.enqueue(rateLimited("Wed, 01 May 2024 10:00:04 GMT"));
        server.enqueue(TwilioJson.error(400, 21211, "Invalid 'To' Phone Number"));
        RecordedSleeps sleeps = new RecordedSleeps(engineNow);
        TwilioRejectedException e = assertThrowsType(TwilioRejectedException.class, send(POLICY, sleeps), "");
        assertEquals(400, e.error().httpStatus());
        assertEquals(List.of(Duration.ofSeconds(4)), sleeps.sleeps,
                "the date is 4 s after the engine's now (and long past on the system clock)");
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aRetryAfterNoLongCanHoldOnAFirstAttemptIsNotSentAtOnce() {
        server.enqueue(rateLimited("99999999999"));
        RecordedSleeps sleeps = new RecordedSleeps();
        TwilioRejectedException e = assertThrowsType(TwilioRejectedException.class, send(POLICY, sleeps), "");
        assertEquals(429, e.error().httpStatus());
        assertFalse(e.mayHaveBeenSent());
        assertEquals(List.of(), sleeps.sleeps);
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void retryAmbiguousFailuresSendsFourTimesAtTheBackoffThenEndsUnknownWithoutReadingTheLog() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        }
        RecordedSleeps sleeps = new RecordedSleeps();
        RetryPolicy blind = POLICY.newBuilder().retryAmbiguousFailures(true).build();
        DeliveryUnknownException e = assertThrowsType(DeliveryUnknownException.class, send(blind, sleeps), "");
        assertTrue(e.settleQuery().isPresent());
        assertEquals(4, server.getRequestCount());
        for (int i = 0; i < 4; i++) {
            assertEquals("POST", server.takeRequest().getMethod(), "no GET of the message log");
        }
        assertEquals(3, sleeps.sleeps.size(), sleeps.sleeps.toString());
        for (Duration d : sleeps.sleeps) {
            assertTrue(d.compareTo(Duration.ofMillis(400)) <= 0, "the backoff, not the settle delay: " + d);
        }
    }

    @Test
    void aRedirectIsNotSentAndNamesTheStatusAndTheFix() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse.Builder().code(302)
                        .setHeader("Location", "https://user:pw@login.example.com/sso?ticket=fake-ticket-1").build();
            }
        });
        RecordedSleeps sleeps = new RecordedSleeps();
        TwilioRejectedException e = assertThrowsType(TwilioRejectedException.class, send(POLICY, sleeps), "");
        assertFalse(e.mayHaveBeenSent());
        assertEquals(302, e.error().httpStatus());
        assertTrue(e.getMessage().contains("HTTP 302"), e.getMessage());
        assertTrue(e.getMessage().contains("https://login.example.com/sso"), e.getMessage());
        assertTrue(e.getMessage().contains("TWILIO_API_BASE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains("fake-ticket-1") || e.getMessage().contains("pw@"), e.getMessage());
        assertEquals(1, server.getRequestCount(), "neither followed, retried nor settled");
        assertEquals(List.of(), sleeps.sleeps);
    }

    @Test
    void aSuccessWithoutAUsableSidMayHaveBeenSent() {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .body("{\"status\":\"queued\",\"sid\":\"not-a-sid\"}").build());
        DeliveryUnknownException e = assertThrowsType(DeliveryUnknownException.class,
                send(POLICY.newBuilder().settleFromLog(false).build(), new RecordedSleeps()), "");
        assertTrue(e.getMessage().contains("could not be read"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    private static <T extends Throwable> T assertThrowsType(Class<T> type, Throwable e, String context) {
        if (!type.isInstance(e)) {
            throw new AssertionError(context + ": expected " + type.getSimpleName() + ", got " + e, e);
        }
        return type.cast(e);
    }
}
