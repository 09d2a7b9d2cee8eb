package org.twiliochannels.core.internal;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioError;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;

/**
 * Runs one logical request (a send, a fetch) as a series of attempts under a {@link RetryPolicy}
 * and a deadline, and turns the last failure into exactly one of the library's outcomes. Logs one
 * DEBUG line per attempt and one WARN line per final failure, with the recipient masked. Not API.
 */
public final class RequestRunner {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    /** Sleeps between attempts; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits {@code d}. */
        void sleep(Duration d) throws InterruptedException;
    }

    private final RetryPolicy policy;
    private final Duration deadline;
    private final Sleeper sleeper;
    private final java.util.concurrent.atomic.LongAdder rateLimited = new java.util.concurrent.atomic.LongAdder();

    /** A runner that waits with {@link Thread#sleep}. */
    public RequestRunner(RetryPolicy policy, Duration deadline) {
        this(policy, deadline, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
    }

    /** A runner with its own way of waiting. */
    public RequestRunner(RetryPolicy policy, Duration deadline, Sleeper sleeper) {
        this.policy = policy;
        this.deadline = deadline;
        this.sleeper = sleeper;
    }

    /** How many 429 / 20429 answers this runner has seen, retried ones included. */
    public long rateLimitedResponses() {
        return rateLimited.sum();
    }

    /**
     * Runs {@code call} until it succeeds or the policy or deadline says stop.
     *
     * @param channel    the channel id, for logs
     * @param subject    the masked recipient or the SID looked up, for logs; computed only when logging
     * @param idempotent true for reads: then 5xx and lost answers are retried, and never "unknown"
     * @param describe   a log-safe description of a result, e.g. its SID and status
     */
    public <T> T run(String channel, Supplier<String> subject, boolean idempotent, Supplier<T> call,
                     Function<T, String> describe) {
        long end = System.nanoTime() + deadline.toNanos();
        boolean mayHaveReachedTwilio = false;
        for (int attempt = 1; ; attempt++) {
            Step step;
            try {
                T result = TwilioTransport.withDeadline(end, call);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} attempt {} for {}: ok, {}", channel, attempt, subject.get(), describe.apply(result));
                }
                return result;
            } catch (HttpFailure e) {
                step = onHttpFailure(e, idempotent, attempt);
            } catch (IoFailure e) {
                step = onIoFailure(e, idempotent, attempt);
            } catch (ApiException | ApiConnectionException e) {
                // Only a success answer reaches the SDK's parser: Twilio said yes, but we cannot read it.
                String what = "Twilio answered but the answer could not be read: " + e.getMessage();
                step = Step.stop(idempotent
                        ? new TwilioChannelsException(what, e)
                        : new DeliveryUnknownException(what, null, e), true, what);
            }
            mayHaveReachedTwilio |= step.mayHaveReachedTwilio;
            TwilioChannelsException outcome = step.failure;
            if (!idempotent && mayHaveReachedTwilio && !(outcome instanceof DeliveryUnknownException)) {
                outcome = new DeliveryUnknownException("an earlier attempt got no answer, then " + outcome.getMessage(),
                        null, outcome);
            }
            if (!step.retry || attempt >= policy.maxAttempts()) {
                return fail(channel, subject, attempt, step.summary, outcome);
            }
            Duration wait = backoff(attempt);
            if (step.retryAfter != null && step.retryAfter.compareTo(wait) > 0) {
                wait = step.retryAfter;
            }
            if (System.nanoTime() + wait.toNanos() + minimumAttemptTime().toNanos() > end) {
                return fail(channel, subject, attempt, step.summary + "; no time left before the deadline of "
                        + deadline.toMillis() + " ms", outcome);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} attempt {} for {}: {}; retrying in {} ms", channel, attempt, subject.get(), step.summary,
                        wait.toMillis());
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(channel, subject, attempt, step.summary + "; interrupted before the retry", outcome);
            }
        }
    }

    private Step onHttpFailure(HttpFailure e, boolean idempotent, int attempt) {
        TwilioError error = e.error();
        String summary = "HTTP " + error.httpStatus() + error.code().stream().mapToObj(c -> " code " + c).findFirst().orElse("");
        if (error.isRateLimited()) {
            rateLimited.increment();
            return Step.retry(TwilioRejectedException.of(error, attempt), false, summary + " (rate limited)",
                    e.retryAfter().orElse(null));
        }
        if (error.httpStatus() >= 500) {
            if (idempotent) {
                return Step.retry(TwilioRejectedException.of(error, attempt), false, summary, null);
            }
            DeliveryUnknownException unknown = new DeliveryUnknownException("Twilio answered HTTP " + error.httpStatus()
                    + " (" + error.message() + ")", error, e);
            return policy.retryAmbiguousFailures()
                    ? Step.retry(unknown, true, summary, e.retryAfter().orElse(null))
                    : Step.stop(unknown, true, summary);
        }
        return Step.stop(TwilioRejectedException.of(error, attempt), false, summary + " (rejected)");
    }

    private Step onIoFailure(IoFailure e, boolean idempotent, int attempt) {
        if (!e.mayHaveReachedTwilio()) {
            return Step.retry(new TwilioUnreachableException("Twilio could not be reached after " + attempt
                    + " attempt(s): " + e.getMessage() + ". Check the network, proxy and TWILIO_API_BASE_URL.",
                    attempt, e.getCause()), false, e.getMessage(), null);
        }
        if (idempotent) {
            return Step.retry(new TwilioUnreachableException("No answer from Twilio after " + attempt + " attempt(s): "
                    + e.getMessage(), attempt, e.getCause()), false, e.getMessage(), null);
        }
        DeliveryUnknownException unknown = new DeliveryUnknownException(e.getMessage(), null, e.getCause());
        return policy.retryAmbiguousFailures()
                ? Step.retry(unknown, true, e.getMessage(), null)
                : Step.stop(unknown, true, e.getMessage());
    }

    private <T> T fail(String channel, Supplier<String> subject, int attempts, String summary,
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
    private Duration minimumAttemptTime() {
        Duration floor = Duration.ofMillis(500);
        Duration quarter = deadline.dividedBy(4);
        return quarter.compareTo(floor) < 0 ? quarter : floor;
    }

    /** Exponential backoff with full jitter: uniform in [initial·2^(n-1) / 2, initial·2^(n-1)], capped. */
    Duration backoff(int attempt) {
        long initial = policy.initialBackoff().toNanos();
        long cap = policy.maxBackoff().toNanos();
        long exp = attempt >= 62 ? cap : Math.min(cap, initial << Math.min(attempt - 1, 30));
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        return Duration.ofNanos(jittered);
    }

    private record Step(TwilioChannelsException failure, boolean retry, boolean mayHaveReachedTwilio, String summary,
                        Duration retryAfter) {
        static Step retry(TwilioChannelsException f, boolean reached, String summary, Duration retryAfter) {
            return new Step(f, true, reached, summary, retryAfter);
        }

        static Step stop(TwilioChannelsException f, boolean reached, String summary) {
            return new Step(f, false, reached, summary, null);
        }
    }
}
