package org.twiliochannels.core.internal.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioError;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.event.RetryReason;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.internal.http.IoFailure;
import org.twiliochannels.core.internal.twilio.HttpFailure;

/**
 * The runner's decisions as a table, on an injected clock: no test here waits for real time.
 * Each row is a scripted series of attempt results and what the runner must make of it.
 */
class RequestRunnerTest {
    /** A clock that moves only when the runner sleeps (or a test advances it). */
    static final class FakeTiming implements Timing {
        long nanos = 1_000_000_000L;
        static final Duration CENTURY = Duration.ofDays(36_525);
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public Instant now() {
            return Instant.ofEpochSecond(1_700_000_000L).plusNanos(nanos);
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            // a runner that asks for more than a long of nanoseconds is caught by the assertions on sleeps
            nanos += d.compareTo(CENTURY) > 0 ? CENTURY.toNanos() : d.toNanos();
        }
    }

    private static final RetryPolicy POLICY = RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(2)).settleDelay(Duration.ofSeconds(5)).build();

    private static HttpFailure http(int status, Integer code, Duration retryAfter) {
        return new HttpFailure(new TwilioError(status, code == null ? OptionalInt.empty() : OptionalInt.of(code),
                "m", Optional.empty()), retryAfter == null ? null : HttpFailure.RetryAfter.ofDelay(retryAfter));
    }

    private static IoFailure notReached() {
        return new IoFailure("could not connect", false, new ConnectException("refused"));
    }

    private static IoFailure lostAnswer() {
        return new IoFailure("no answer", true, new SocketTimeoutException("read timed out"));
    }

    /** A scripted attempt: a failure to throw, or null for success. */
    private static LongFunction<String> script(FakeTiming timing, Duration eachAttemptTakes, RuntimeException... failures) {
        Deque<RuntimeException> left = new ArrayDeque<>(List.of(failures));
        return end -> {
            timing.nanos += eachAttemptTakes.toNanos();
            if (left.isEmpty()) {
                return "ok";
            }
            throw left.pop();
        };
    }

    /** Records the retry reasons the runner reports. */
    private static final class Reasons implements RequestRunner.Observer {
        final List<RetryReason> reasons = new ArrayList<>();
        int throttled;

        @Override
        public void retryScheduled(int attempt, RetryReason reason, Duration delay) {
            reasons.add(reason);
        }

        @Override
        public void throttled(int attempt, Duration retryAfter) {
            throttled++;
        }
    }

    static Stream<Arguments> sendDecisions() {
        return Stream.of(
                Arguments.of("429 then success: retried", List.of(http(429, 20429, null)), "ok", List.of(RetryReason.RATE_LIMITED)),
                Arguments.of("not reached twice then success", List.of(notReached(), notReached()), "ok",
                        List.of(RetryReason.UNREACHABLE, RetryReason.UNREACHABLE)),
                Arguments.of("transient 21611 then success", List.of(http(400, 21611, null)), "ok",
                        List.of(RetryReason.TRANSIENT_ERROR)),
                Arguments.of("400 21211: rejected at once", List.of(http(400, 21211, null)),
                        TwilioRejectedException.class.getSimpleName(), List.of()),
                Arguments.of("401 20003 (fatal): rejected at once", List.of(http(401, 20003, null)),
                        TwilioRejectedException.class.getSimpleName(), List.of()),
                Arguments.of("503 without settling: unknown at once", List.of(http(503, null, null)),
                        DeliveryUnknownException.class.getSimpleName(), List.of()),
                Arguments.of("lost answer without settling: unknown at once", List.of(lostAnswer()),
                        DeliveryUnknownException.class.getSimpleName(), List.of()),
                Arguments.of("four 429s: rejected after the last attempt",
                        List.of(http(429, null, null), http(429, null, null), http(429, null, null), http(429, null, null)),
                        TwilioRejectedException.class.getSimpleName(),
                        List.of(RetryReason.RATE_LIMITED, RetryReason.RATE_LIMITED, RetryReason.RATE_LIMITED)),
                Arguments.of("unreachable four times: unreachable",
                        List.of(notReached(), notReached(), notReached(), notReached()),
                        TwilioUnreachableException.class.getSimpleName(),
                        List.of(RetryReason.UNREACHABLE, RetryReason.UNREACHABLE, RetryReason.UNREACHABLE)),
                Arguments.of("429 with Retry-After 99999999999 s: not sent at once, no wait",
                        List.of(http(429, 20429, Duration.ofSeconds(99_999_999_999L))),
                        TwilioRejectedException.class.getSimpleName(), List.of()),
                Arguments.of("503 with Retry-After of Long.MAX_VALUE s: unknown at once",
                        List.of(http(503, null, Duration.ofSeconds(Long.MAX_VALUE))),
                        DeliveryUnknownException.class.getSimpleName(), List.of()),
                Arguments.of("302 redirect: not sent at once", List.of(http(302, null, null)),
                        TwilioRejectedException.class.getSimpleName(), List.of()));
    }

    /**
     * With {@code retryAmbiguousFailures(true)} ambiguous attempts are sent again at the backoff,
     * never settled (settling is on here, and the settler fails the test if asked), and once one
     * may have created the message, the send can only end accepted or "may have been sent".
     */
    static Stream<Arguments> blindRetryDecisions() {
        Duration forever = Duration.ofSeconds(99_999_999_999L);
        return Stream.of(
                Arguments.of("503 four times: four attempts at the backoff, then unknown",
                        List.of(http(503, null, null), http(503, null, null), http(503, null, null), http(503, null, null)),
                        DeliveryUnknownException.class.getSimpleName(),
                        List.of(RetryReason.AMBIGUOUS, RetryReason.AMBIGUOUS, RetryReason.AMBIGUOUS)),
                Arguments.of("lost answer then success: accepted", List.of(lostAnswer()), "ok",
                        List.of(RetryReason.AMBIGUOUS)),
                Arguments.of("503 then 400 21211: stays may have been sent",
                        List.of(http(503, null, null), http(400, 21211, null)),
                        DeliveryUnknownException.class.getSimpleName(), List.of(RetryReason.AMBIGUOUS)),
                Arguments.of("503 then 429 with Retry-After 99999999999 s: stays may have been sent",
                        List.of(http(503, null, null), http(429, 20429, forever)),
                        DeliveryUnknownException.class.getSimpleName(), List.of(RetryReason.AMBIGUOUS)),
                Arguments.of("lost answer then 503 with Retry-After of Long.MAX_VALUE s: stays may have been sent",
                        List.of(lostAnswer(), http(503, null, Duration.ofSeconds(Long.MAX_VALUE))),
                        DeliveryUnknownException.class.getSimpleName(), List.of(RetryReason.AMBIGUOUS)),
                Arguments.of("503 then 302: stays may have been sent",
                        List.of(http(503, null, null), http(302, null, null)),
                        DeliveryUnknownException.class.getSimpleName(), List.of(RetryReason.AMBIGUOUS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blindRetryDecisions")
    void retryAmbiguousFailuresRetriesBlindlyInsteadOfSettling(String row, List<RuntimeException> failures,
                                                               String expected, List<RetryReason> reasons) {
        FakeTiming timing = new FakeTiming();
        RetryPolicy blind = POLICY.newBuilder().retryAmbiguousFailures(true).build();
        assertTrue(blind.settleFromLog(), "settling stays on: the switch must win over it");
        RequestRunner runner = new RequestRunner(blind, Duration.ofSeconds(30), timing);
        Reasons seen = new Reasons();
        String outcome;
        try {
            outcome = runner.run("sms", () -> "+1415***1234", false,
                    script(timing, Duration.ofMillis(50), failures.toArray(new RuntimeException[0])), s -> s, seen,
                    (a, b, end) -> {
                        throw new AssertionError("the log must not be read when ambiguous failures are retried blindly");
                    }).value();
        } catch (TwilioChannelsException e) {
            outcome = e.getClass().getSimpleName();
        }
        assertEquals(expected, outcome, row);
        assertEquals(reasons, seen.reasons, row);
        assertEquals(reasons.size(), timing.sleeps.size(), row);
        for (int i = 0; i < timing.sleeps.size(); i++) {
            assertBetween(Duration.ofMillis(50L << i), Duration.ofMillis(100L << i), timing.sleeps.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sendDecisions")
    void sendDecisionsWithoutSettling(String row, List<RuntimeException> failures, String expected,
                                      List<RetryReason> reasons) {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY.newBuilder().settleFromLog(false).build(), Duration.ofSeconds(30),
                timing);
        Reasons seen = new Reasons();
        String outcome;
        try {
            outcome = runner.run("sms", () -> "+1415***1234", false,
                    script(timing, Duration.ofMillis(50), failures.toArray(new RuntimeException[0])), s -> s, seen,
                    null).value();
        } catch (TwilioChannelsException e) {
            outcome = e.getClass().getSimpleName();
        }
        assertEquals(expected, outcome, row);
        assertEquals(reasons, seen.reasons, row);
    }

    @Test
    void waitsAtLeastRetryAfterAndGrowsTheBackoffWithJitterWithinItsStep() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        runner.run("sms", () -> "x", false, script(timing, Duration.ZERO, notReached(), notReached(),
                http(429, null, Duration.ofSeconds(3))), s -> s, RequestRunner.NONE, null);
        assertEquals(3, timing.sleeps.size());
        assertBetween(Duration.ofMillis(50), Duration.ofMillis(100), timing.sleeps.get(0));
        assertBetween(Duration.ofMillis(100), Duration.ofMillis(200), timing.sleeps.get(1));
        assertEquals(Duration.ofSeconds(3), timing.sleeps.get(2), "Retry-After is longer than the backoff");
    }

    private static void assertBetween(Duration low, Duration high, Duration actual) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, actual + " not in [" + low + ", " + high + "]");
    }

    @Test
    void stopsWhenTheNextWaitWouldLeaveLessThanAnAttemptBeforeTheDeadline() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY.newBuilder().maxAttempts(100).build(), Duration.ofSeconds(2),
                timing);
        TwilioRejectedException e = assertThrows(TwilioRejectedException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, http(429, null, Duration.ofSeconds(1)), http(429, null, Duration.ofSeconds(1))),
                s -> s, RequestRunner.NONE, null));
        assertEquals(429, e.error().httpStatus());
        assertEquals(List.of(Duration.ofSeconds(1)), timing.sleeps, "the second 1 s wait would leave under 500 ms");
    }

    @Test
    void readsRetryServerErrorsAndLostAnswersAndNeverEndUnknown() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        assertEquals("ok", runner.read("fetch", () -> "SM…", script(timing, Duration.ZERO, http(503, null, null),
                lostAnswer()), s -> s));
        TwilioUnreachableException e = assertThrows(TwilioUnreachableException.class, () -> runner.read("fetch",
                () -> "SM…", script(timing, Duration.ZERO, lostAnswer(), lostAnswer(), lostAnswer(), lostAnswer()), s -> s));
        assertFalse(e.mayHaveBeenSent());
    }

    @Test
    void anAmbiguousAttemptIsSettledAfterTheSettleDelayAndFoundEndsAccepted() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        List<Instant[]> windows = new ArrayList<>();
        Instant start = timing.now();
        RequestRunner.Result<String> r = runner.run("sms", () -> "x", false,
                script(timing, Duration.ofSeconds(2), http(500, 20500, null)), s -> s, RequestRunner.NONE,
                (notBefore, notAfter, end) -> {
                    windows.add(new Instant[] {notBefore, notAfter});
                    return new RequestRunner.Settled.Found<>("from the log");
                });
        assertEquals("from the log", r.value());
        assertTrue(r.settled());
        assertEquals(1, r.attempts());
        assertEquals(List.of(Duration.ofSeconds(5)), timing.sleeps, "waits the settle delay before reading the log");
        assertEquals(start, windows.get(0)[0], "the window opens when the first attempt starts");
        assertEquals(start.plusSeconds(7), windows.get(0)[1], "and closes when the log is read");
    }

    @Test
    void absentIsResentAsARetryAndALaterRejectionIsNotMadeUnknown() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        Reasons seen = new Reasons();
        TwilioRejectedException e = assertThrows(TwilioRejectedException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, lostAnswer(), http(400, 21610, null)), s -> s, seen,
                (a, b, end) -> new RequestRunner.Settled.Absent<>()));
        assertFalse(e.mayHaveBeenSent(), "the log showed the first attempt created nothing");
        assertEquals(21610, e.error().code().getAsInt());
        assertEquals(List.of(RetryReason.SETTLED_ABSENT), seen.reasons);
    }

    @Test
    void severalCandidatesStayUnknownAndNameThem() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        MessageSid a = MessageSid.of("SM0123456789abcdef0123456789abcdef");
        DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class, () -> runner.run("sms", () -> "x",
                false, script(timing, Duration.ZERO, lostAnswer()), s -> s, RequestRunner.NONE,
                (x, y, end) -> new RequestRunner.Settled.Unknown<>("2 messages match", List.of(a))));
        assertTrue(e.getMessage().contains("could not settle it (2 messages match, candidates [" + a + "])"),
                e.getMessage());
    }

    static Stream<Arguments> settleDelaysThatDoNotFit() {
        return Stream.of(
                Arguments.of("5 s after a 2 s attempt, 6 s deadline", Duration.ofSeconds(5), Duration.ofSeconds(6)),
                Arguments.of("Long.MAX_VALUE s, 30 s deadline: no overflow", Duration.ofSeconds(Long.MAX_VALUE),
                        Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settleDelaysThatDoNotFit")
    void noTimeForTheSettleDelayLeavesTheSendUnknownWithoutReadingTheLog(String row, Duration settleDelay,
                                                                         Duration deadline) {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY.newBuilder().settleDelay(settleDelay).build(), deadline, timing);
        DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class, () -> runner.run("sms", () -> "x",
                false, script(timing, Duration.ofSeconds(2), lostAnswer()), s -> s, RequestRunner.NONE,
                (x, y, end) -> {
                    throw new AssertionError("the log must not be read");
                }), row);
        assertTrue(e.getMessage().contains("no time left before the send deadline"), e.getMessage());
        assertTrue(timing.sleeps.isEmpty());
    }

    @Test
    void throttlingIsReportedForEvery429() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        Reasons seen = new Reasons();
        runner.run("sms", () -> "x", false, script(timing, Duration.ZERO, http(429, null, null), http(400, 20429, null)),
                s -> s, seen, null);
        assertEquals(2, seen.throttled);
    }

    @Test
    void aRedirectIsNeitherRetriedNorUnknownForReadsEither() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        TwilioRejectedException e = assertThrows(TwilioRejectedException.class, () -> runner.read("fetch", () -> "SM…",
                script(timing, Duration.ZERO, http(307, null, null)), s -> s));
        assertEquals(307, e.error().httpStatus());
        assertFalse(e.mayHaveBeenSent());
        assertTrue(timing.sleeps.isEmpty());
    }

    @Test
    void hugeBackoffsSaturateInsteadOfOverflowing() {
        RequestRunner runner = new RequestRunner(POLICY.newBuilder().initialBackoff(Duration.ofHours(1))
                .maxBackoff(Duration.ofDays(100)).build(), Duration.ofSeconds(30), new FakeTiming());
        for (int attempt = 1; attempt <= 100; attempt++) {
            assertBetween(Duration.ZERO, Duration.ofDays(100), runner.backoff(attempt));
        }
        assertBetween(Duration.ofDays(50), Duration.ofDays(100), runner.backoff(40));
        RequestRunner endless = new RequestRunner(POLICY.newBuilder().initialBackoff(Duration.ofSeconds(Long.MAX_VALUE))
                .maxBackoff(Duration.ofSeconds(Long.MAX_VALUE)).build(), Duration.ofSeconds(30), new FakeTiming());
        assertTrue(endless.backoff(3).compareTo(Duration.ofDays(365)) > 0);
    }

    @Test
    void aDeadlineLongerThanALongOfNanosIsTakenAsVeryLong() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(Long.MAX_VALUE), timing);
        assertEquals("ok", runner.run("sms", () -> "x", false, script(timing, Duration.ZERO, http(429, null,
                Duration.ofDays(1))), s -> s, RequestRunner.NONE, null).value());
        assertEquals(List.of(Duration.ofDays(1)), timing.sleeps);
    }

    @Test
    void aNegativeClockOriginStillBoundsTheSendByItsDeadline() {
        FakeTiming timing = new FakeTiming();
        timing.nanos = -5_000_000_000_000_000_000L; // System.nanoTime may be negative
        RequestRunner runner = new RequestRunner(POLICY, Duration.ofSeconds(30), timing);
        assertThrows(TwilioRejectedException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, http(429, null, Duration.ofSeconds(60))), s -> s, RequestRunner.NONE,
                null));
        assertTrue(timing.sleeps.isEmpty(), "a 60 s wait does not fit a 30 s deadline: " + timing.sleeps);
    }

    @Test
    void anUnexpectedFailureAfterAnAttemptThatMayHaveCreatedTheMessageStaysMayHaveBeenSent() {
        RetryPolicy blind = POLICY.newBuilder().retryAmbiguousFailures(true).build();
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(blind, Duration.ofSeconds(30), timing);
        DeliveryUnknownException fromTheCall = assertThrows(DeliveryUnknownException.class, () -> runner.run("sms",
                () -> "x", false, script(timing, Duration.ZERO, http(503, null, null),
                        new IllegalStateException("a bug on the second attempt")), s -> s, RequestRunner.NONE, null));
        assertInstanceOf(IllegalStateException.class, fromTheCall.getCause());
        RequestRunner.Observer throwing = new RequestRunner.Observer() {
            @Override
            public void retryScheduled(int attempt, RetryReason reason, Duration delay) {
                throw new IllegalStateException("an observer that throws");
            }
        };
        assertThrows(DeliveryUnknownException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, lostAnswer()), s -> s, throwing, null));
        assertThrows(IllegalStateException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, notReached()), s -> s, throwing, null),
                "nothing may have been created yet: the failure is not made unknown");
    }

    @Test
    void ioFailureKeepsItsCause() {
        FakeTiming timing = new FakeTiming();
        RequestRunner runner = new RequestRunner(POLICY.newBuilder().settleFromLog(false).build(), Duration.ofSeconds(30),
                timing);
        DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class, () -> runner.run("sms", () -> "x", false,
                script(timing, Duration.ZERO, lostAnswer()), s -> s, RequestRunner.NONE, null));
        assertInstanceOf(IOException.class, e.getCause());
    }
}
