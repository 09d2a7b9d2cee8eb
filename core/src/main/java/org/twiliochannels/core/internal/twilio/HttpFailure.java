package org.twiliochannels.core.internal.twilio;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.TwilioError;

/**
 * Twilio (or something in its place) answered with anything but a success (2xx): an error of 400
 * or above, or a redirect or interim status that Twilio's API never answers (not processed; the
 * SDK, which takes 200 to 399 as success, never sees those). Thrown by the transport through the
 * SDK, caught by the send engine's runner. Not API.
 */
public final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient TwilioError error;
    private final transient RetryAfter retryAfter;

    /** A failure with {@code Retry-After} as the server sent it, or null when it sent none (or none readable). */
    public HttpFailure(TwilioError error, RetryAfter retryAfter) {
        super(error.describe(), null, false, false);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** The parsed answer. */
    public TwilioError error() {
        return error;
    }

    /**
     * The wait the server asked for in {@code Retry-After}, if any, counted from {@code now}: the
     * engine's clock, so that an HTTP date is read against the clock the engine was given.
     */
    public Optional<Duration> retryAfter(Instant now) {
        return retryAfter == null ? Optional.empty() : Optional.of(retryAfter.from(now));
    }

    /**
     * {@code Retry-After} as the server sent it (RFC 9110): a delay in seconds, or the HTTP date the
     * wait ends at. A date is turned into a wait only by {@link #from}, with the caller's clock.
     *
     * @param delay the delay-seconds form, or null
     * @param date  the HTTP-date form, or null
     */
    public record RetryAfter(Duration delay, Instant date) {
        public RetryAfter {
            if ((delay == null) == (date == null)) {
                throw new IllegalArgumentException("Retry-After is either a delay or a date, was delay=" + delay
                        + ", date=" + date);
            }
        }

        /** The delay-seconds form. */
        public static RetryAfter ofDelay(Duration delay) {
            return new RetryAfter(Objects.requireNonNull(delay, "delay"), null);
        }

        /** The HTTP-date form. */
        public static RetryAfter ofDate(Instant date) {
            return new RetryAfter(null, Objects.requireNonNull(date, "date"));
        }

        /** The wait from {@code now}: the delay, or the time until the date (zero for a date past). */
        public Duration from(Instant now) {
            if (delay != null) {
                return delay;
            }
            Duration d = Duration.between(now, date);
            return d.isNegative() ? Duration.ZERO : d;
        }
    }
}
