package org.twiliochannels.core.internal.send;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioError;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.event.RetryReason;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.internal.http.IoFailure;
import org.twiliochannels.core.internal.twilio.HttpFailure;
import org.twiliochannels.core.internal.twilio.UnreadableAnswer;

/**
 * Runs one logical request (a send, a read) as a series of attempts under a {@link RetryPolicy}
 * and a deadline, and turns the last failure into exactly one of the library's outcomes. The
 * decision for each failure reads the error catalogue ({@link TwilioErrorCode.Kind}); an ambiguous
 * failure of a send is settled from Twilio's message log when a {@link Settler} is given. Logs one
 * DEBUG line per attempt and one WARN line per final failure, with the recipient masked. Not API.
 */
final class RequestRunner {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    /** What the runner reports while it works; {@link #NONE} for reads. */
    public interface Observer {
        /** An attempt starts. */
        default void attemptStarted(int attempt) {}

        /** An HTTP answer arrived; {@code httpStatus} 0 when none did. */
        default void answerReceived(int attempt, int httpStatus, OptionalInt code, Duration took) {}

        /** A 429 / 20429. */
        default void throttled(int attempt, Duration retryAfter) {}

        /** Another attempt follows after {@code delay}. */
        default void retryScheduled(int attempt, RetryReason reason, Duration delay) {}
    }

    /** Reports nothing. */
    public static final Observer NONE = new Observer() {};

    /** Learns from Twilio's log whether an ambiguous send created its message. */
    @FunctionalInterface
    public interface Settler<T> {
        /**
         * Searches the log for a message created between the two instants.
         *
         * @param deadlineNanos when the whole send must end ({@link Timing#nanoTime()} scale)
         */
        Settled<T> settle(Instant notBefore, Instant notAfter, long deadlineNanos);
    }

    /** What the log said. */
    public sealed interface Settled<T> {
        /** The message was created: {@code value} is the send's result. */
        record Found<T>(T value) implements Settled<T> {}

        /** Nothing was created. */
        record Absent<T>() implements Settled<T> {}

        /** The log cannot tell. */
        record Unknown<T>(String reason, List<MessageSid> candidates) implements Settled<T> {}
    }

    /** A result and how it was reached. */
    public record Result<T>(T value, int attempts, boolean settled) {}

    private final RetryPolicy policy;
    private final Duration deadline;
    private final Timing timing;

    /** A runner on the system clocks. */
    public RequestRunner(RetryPolicy policy, Duration deadline) {
        this(policy, deadline, Timing.SYSTEM);
    }

    /** A runner with its own clocks and sleep. */
    public RequestRunner(RetryPolicy policy, Duration deadline, Timing timing) {
        this.policy = policy;
        this.deadline = deadline;
        this.timing = timing;
    }

    /** The policy this runner follows. */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs a read: 5xx and lost answers are retried too, and never "unknown".
     *
     * @param subject  the SID or the masked recipient looked up, for logs; computed only when logging
     * @param describe a log-safe description of a result
     */
    public <T> T read(String channel, Supplier<String> subject, LongFunction<T> call, Function<T, String> describe) {
        return run(channel, subject, true, call, describe, NONE, null).value();
    }

    /** As {@link #read} but ending by {@code endNanos} ({@link Timing#nanoTime()} scale) when that is sooner. */
    public <T> T readUntil(long endNanos, String channel, Supplier<String> subject, LongFunction<T> call,
                           Function<T, String> describe) {
        long own = Timing.after(timing.nanoTime(), deadline);
        return run(channel, subject, true, call, describe, NONE, null, endNanos - own < 0 ? endNanos : own).value();
    }

    /**
     * Runs {@code call} until it succeeds or the policy or deadline says stop.
     *
     * @param channel    the channel id, for logs
     * @param subject    the masked recipient or the SID looked up, for logs; computed only when logging
     * @param idempotent true for reads: then 5xx and lost answers are retried, and never "unknown"
     * @param call       one attempt, given the instant ({@link Timing#nanoTime()} scale) by which it must end
     * @param describe   a log-safe description of a result, e.g. its SID and status
     * @param observer   told of attempts, answers, throttling and retries
     * @param settler    settles ambiguous failures of a send from the log; null to leave them unknown
     */
    public <T> Result<T> run(String channel, Supplier<String> subject, boolean idempotent, LongFunction<T> call,
                             Function<T, String> describe, Observer observer, Settler<T> settler) {
        return run(channel, subject, idempotent, call, describe, observer, settler,
                Timing.after(timing.nanoTime(), deadline));
    }

    /**
     * The attempts, ending by {@code end} ({@link Timing#nanoTime()} scale, compared only by
     * difference). Whatever else fails once an attempt of a send may have created the message (a bug
     * here, an observer, the call itself on a later attempt) ends the send as "may have been sent",
     * never as an exception its caller would report as not sent.
     */
    private <T> Result<T> run(String channel, Supplier<String> subject, boolean idempotent, LongFunction<T> call,
                              Function<T, String> describe, Observer observer, Settler<T> settler, long end) {
        Exposure exposure = new Exposure();
        try {
            return attempts(channel, subject, idempotent, call, describe, observer, settler, end, exposure);
        } catch (TwilioChannelsException e) {
            throw e;
        } catch (RuntimeException e) {
            if (idempotent || !exposure.mayHaveCreated) {
                throw e;
            }
            return fail(channel, subject, exposure.attempts, "unexpected " + e.getClass().getName(),
                    new DeliveryUnknownException("an attempt may have created the message, then the send failed"
                            + " unexpectedly (" + e.getClass().getSimpleName() + ")", null, e));
        }
    }

    /** How far a send got: read by {@link #run} when something unexpected ends it. */
    private static final class Exposure {
        int attempts;
        boolean mayHaveCreated;
    }

    private <T> Result<T> attempts(String channel, Supplier<String> subject, boolean idempotent, LongFunction<T> call,
                                   Function<T, String> describe, Observer observer, Settler<T> settler, long end,
                                   Exposure exposure) {
        Instant firstAttempt = null;
        boolean mayHaveReachedTwilio = false;
        for (int attempt = 1; ; attempt++) {
            exposure.attempts = attempt;
            Step step;
            observer.attemptStarted(attempt);
            long started = timing.nanoTime();
            if (firstAttempt == null) {
                firstAttempt = timing.now();
            }
            try {
                T result = call.apply(end);
                observer.answerReceived(attempt, idempotent ? 200 : 201, OptionalInt.empty(), since(started));
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} attempt {} for {}: ok, {}", channel, attempt, subject.get(), describe.apply(result));
                }
                return new Result<>(result, attempt, false);
            } catch (HttpFailure e) {
                observer.answerReceived(attempt, e.error().httpStatus(), e.error().code(), since(started));
                step = onHttpFailure(e, idempotent, attempt, observer);
            } catch (IoFailure e) {
                observer.answerReceived(attempt, 0, OptionalInt.empty(), since(started));
                step = onIoFailure(e, idempotent, attempt);
            } catch (UnreadableAnswer e) {
                // Twilio said yes, but we cannot read it.
                String what = e.getMessage();
                step = idempotent
                        ? Step.stop(new TwilioChannelsException(what, e), what)
                        : Step.ambiguous(new DeliveryUnknownException(what, null, e), what, null);
            }
            exposure.mayHaveCreated = mayHaveReachedTwilio || step.ambiguous;
            if (step.ambiguous && policy.retryAmbiguousFailures()) {
                // The user chose blind retries over settling: this attempt may have created the message.
                mayHaveReachedTwilio = true;
                step = Step.retry(step.failure, RetryReason.AMBIGUOUS, step.summary, step.retryAfter);
            } else if (step.ambiguous && settler != null && policy.settleFromLog()) {
                Settled<T> settled = settleAfter(firstAttempt, end, settler);
                if (settled instanceof Settled.Found<T> found) {
                    LOG.debug("{} attempt {} for {}: {}; found in Twilio's message log", channel, attempt,
                            subject.get(), step.summary);
                    return new Result<>(found.value(), attempt, true);
                }
                if (settled instanceof Settled.Absent<T>) {
                    // Nothing was created: this attempt no longer makes the send ambiguous.
                    step = Step.retry(notCreated(step, attempt), RetryReason.SETTLED_ABSENT,
                            step.summary + "; not in Twilio's message log", step.retryAfter);
                } else {
                    Settled.Unknown<T> unknown = (Settled.Unknown<T>) settled;
                    mayHaveReachedTwilio = true;
                    step = Step.stop(new DeliveryUnknownException(step.failure.getMessage().replace(
                            DeliveryUnknownException.ADVICE, "") + "; Twilio's message log could not settle it ("
                            + unknown.reason() + (unknown.candidates().isEmpty() ? "" : ", candidates "
                            + unknown.candidates()) + ")", errorOf(step.failure), step.failure.getCause()),
                            step.summary + "; log: " + unknown.reason());
                }
            } else if (step.ambiguous) {
                mayHaveReachedTwilio = true;
                step = Step.stop(step.failure, step.summary);
            }
            exposure.mayHaveCreated = mayHaveReachedTwilio;
            TwilioChannelsException outcome = step.failure;
            if (!idempotent && mayHaveReachedTwilio && !(outcome instanceof DeliveryUnknownException)) {
                outcome = new DeliveryUnknownException("an earlier attempt got no sure answer, then "
                        + outcome.getMessage(), null, outcome);
            }
            if (step.reason == null || attempt >= policy.maxAttempts()) {
                return fail(channel, subject, attempt, step.summary, outcome);
            }
            Duration wait = backoff(attempt);
            if (step.retryAfter != null && step.retryAfter.compareTo(wait) > 0) {
                wait = step.retryAfter;
            }
            // Compared as durations: a Retry-After of thousands of years cannot overflow, it just does not fit.
            if (wait.compareTo(Timing.left(timing.nanoTime(), end).minus(minimumAttemptTime())) > 0) {
                return fail(channel, subject, attempt, step.summary + "; no time left before the deadline of "
                        + Timing.describe(deadline) + " to wait " + Timing.describe(wait) + " and try again", outcome);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} attempt {} for {}: {}; retrying in {} ms", channel, attempt, subject.get(), step.summary,
                        wait.toMillis());
            }
            observer.retryScheduled(attempt, step.reason, wait);
            try {
                timing.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(channel, subject, attempt, step.summary + "; interrupted before the retry", outcome);
            }
        }
    }

    private <T> Settled<T> settleAfter(Instant firstAttempt, long end, Settler<T> settler) {
        Duration delay = policy.settleDelay();
        if (delay.compareTo(Timing.left(timing.nanoTime(), end)) > 0) {
            return new Settled.Unknown<>("no time left before the send deadline of " + Timing.describe(deadline)
                    + " to wait " + Timing.describe(delay) + " and read the log", List.of());
        }
        try {
            timing.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Settled.Unknown<>("interrupted before the log was read", List.of());
        }
        try {
            return settler.settle(firstAttempt, timing.now(), end);
        } catch (RuntimeException e) {
            return new Settled.Unknown<>("the log could not be read: " + e.getMessage(), List.of());
        }
    }

    /** The "not sent" outcome of an ambiguous attempt that the log showed created nothing. */
    private static TwilioChannelsException notCreated(Step step, int attempt) {
        TwilioError error = errorOf(step.failure);
        if (error != null) {
            return TwilioRejectedException.of(error, attempt);
        }
        return new TwilioUnreachableException("No answer from Twilio after " + attempt + " attempt(s), and Twilio's"
                + " message log shows the message was not created: " + step.summary, attempt, step.failure.getCause());
    }

    private static TwilioError errorOf(TwilioChannelsException e) {
        return e instanceof DeliveryUnknownException d ? d.error().orElse(null) : null;
    }

    private Duration since(long startedNanos) {
        return Duration.ofNanos(Math.max(0, timing.nanoTime() - startedNanos));
    }

    private Step onHttpFailure(HttpFailure e, boolean idempotent, int attempt, Observer observer) {
        TwilioError error = e.error();
        String summary = "HTTP " + error.httpStatus() + error.code().stream().mapToObj(c -> " code " + c).findFirst().orElse("");
        Duration retryAfter = e.retryAfter(timing.now()).orElse(null);
        if (error.httpStatus() < 400) {
            return Step.stop(TwilioRejectedException.of(error, attempt), summary + " (not Twilio's API: not processed)");
        }
        if (error.isRateLimited()) {
            observer.throttled(attempt, retryAfter);
            return Step.retry(TwilioRejectedException.of(error, attempt), RetryReason.RATE_LIMITED,
                    summary + " (rate limited)", retryAfter);
        }
        switch (error.kind()) {
            case AMBIGUOUS, UNKNOWN -> {
                if (error.httpStatus() < 500) {
                    return Step.stop(TwilioRejectedException.of(error, attempt), summary + " (rejected)");
                }
                if (idempotent) {
                    return Step.retry(TwilioRejectedException.of(error, attempt), RetryReason.TRANSIENT_ERROR, summary,
                            retryAfter);
                }
                return Step.ambiguous(new DeliveryUnknownException("Twilio answered HTTP " + error.httpStatus()
                        + " (" + error.message() + ")", error, e), summary, retryAfter);
            }
            case TRANSIENT -> {
                return Step.retry(TwilioRejectedException.of(error, attempt), RetryReason.TRANSIENT_ERROR,
                        summary + " (transient)", retryAfter);
            }
            default -> {
                return Step.stop(TwilioRejectedException.of(error, attempt), summary + " (rejected)");
            }
        }
    }

    private Step onIoFailure(IoFailure e, boolean idempotent, int attempt) {
        if (!e.mayHaveReachedTwilio()) {
            return Step.retry(new TwilioUnreachableException("Twilio could not be reached after " + attempt
                    + " attempt(s): " + e.getMessage() + ". Check the network, proxy and TWILIO_API_BASE_URL.",
                    attempt, e.getCause()), RetryReason.UNREACHABLE, e.getMessage(), null);
        }
        if (idempotent) {
            return Step.retry(new TwilioUnreachableException("No answer from Twilio after " + attempt + " attempt(s): "
                    + e.getMessage(), attempt, e.getCause()), RetryReason.TRANSIENT_ERROR, e.getMessage(), null);
        }
        return Step.ambiguous(new DeliveryUnknownException(e.getMessage(), null, e.getCause()), e.getMessage(), null);
    }

    private <T> Result<T> fail(String channel, Supplier<String> subject, int attempts, String summary,
                               TwilioChannelsException outcome) {
        String kind = outcome.mayHaveBeenSent() ? "outcome unknown (may have been sent)" : "not sent";
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} attempt {} for {}: {}; giving up", channel, attempts, subject.get(), summary);
        }
        LOG.warn("{} request for {} failed after {} attempt(s), {}: {}", channel, subject.get(), attempts, kind, summary);
        throw outcome;
    }

    /**
     * The least time an attempt must have before the deadline to be worth starting: an attempt cut
     * short by the deadline would turn a clean "not sent" into "may have been sent".
     */
    Duration minimumAttemptTime() {
        Duration floor = Duration.ofMillis(500);
        Duration quarter = deadline.dividedBy(4);
        return quarter.compareTo(floor) < 0 ? quarter : floor;
    }

    /**
     * Exponential backoff with jitter: uniform in [step / 2, step] where step is initial·2^(n-1),
     * capped at the maximum backoff; every value held as by {@link Timing#nanos}, so no policy can
     * make it overflow.
     */
    Duration backoff(int attempt) {
        long initial = Math.max(1, Timing.nanos(policy.initialBackoff()));
        long cap = Timing.nanos(policy.maxBackoff());
        int doublings = Math.min(attempt - 1, 62);
        long exp = initial > cap >> doublings ? cap : initial << doublings;
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        return Duration.ofNanos(jittered);
    }

    /**
     * One failed attempt's verdict: {@code reason} non-null means retry; {@code ambiguous} means
     * the request may have created the message (decided by the settle step).
     */
    private record Step(TwilioChannelsException failure, RetryReason reason, boolean ambiguous, String summary,
                        Duration retryAfter) {
        static Step retry(TwilioChannelsException f, RetryReason reason, String summary, Duration retryAfter) {
            return new Step(f, reason, false, summary, retryAfter);
        }

        static Step stop(TwilioChannelsException f, String summary) {
            return new Step(f, null, false, summary, null);
        }

        static Step ambiguous(TwilioChannelsException f, String summary, Duration retryAfter) {
            return new Step(f, null, true, summary, retryAfter);
        }
    }
}
