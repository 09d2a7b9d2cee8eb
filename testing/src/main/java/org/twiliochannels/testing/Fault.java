package org.twiliochannels.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the {@link FakeTwilio} plays instead of (or before) its normal answer, to test how
 * code copes with Twilio's bad days.
 */
public final class Fault {
    /** What a fault does. */
    public enum Kind {
        /** HTTP 429 / 20429: never processed. */
        RATE_LIMITED,
        /** HTTP 5xx with Twilio JSON. */
        SERVER_ERROR,
        /** An HTML error page. */
        HTML_ERROR,
        /** The connection closes after the request was read. */
        DISCONNECT_AFTER_REQUEST,
        /** A normal answer, late. */
        DELAY,
        /** A 201 whose body is not JSON. */
        MALFORMED_SUCCESS
    }

    final Kind kind;
    final int status;
    final Duration duration;

    private Fault(Kind kind, int status, Duration duration) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
    }

    /** HTTP 429 with Twilio's error 20429 and {@code Retry-After} in whole seconds (none when zero). */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMITED, 429, Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** An HTTP 5xx answer with a Twilio-style JSON body. */
    public static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be 5xx, was " + status);
        }
        return new Fault(Kind.SERVER_ERROR, status, Duration.ZERO);
    }

    /** An HTML error page with this status, as a proxy or load balancer sends. */
    public static Fault htmlError(int status) {
        return new Fault(Kind.HTML_ERROR, status, Duration.ZERO);
    }

    /** Reads the whole request, then closes the connection without answering. */
    public static Fault disconnectAfterRequest() {
        return new Fault(Kind.DISCONNECT_AFTER_REQUEST, 0, Duration.ZERO);
    }

    /** Handles the request normally, but only after {@code delay}. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, Objects.requireNonNull(delay, "delay"));
    }

    /** Accepts the message (it counts as sent) but answers 201 with a body that is not JSON. */
    public static Fault malformedSuccess() {
        return new Fault(Kind.MALFORMED_SUCCESS, 201, Duration.ZERO);
    }

    /** What this fault does. */
    public Kind kind() {
        return kind;
    }

    /** True for faults after which the request was processed normally, or may have been. */
    boolean processes() {
        return kind == Kind.DELAY || kind == Kind.MALFORMED_SUCCESS;
    }

    @Override
    public String toString() {
        return "Fault[" + kind + (status != 0 ? " " + status : "") + (duration.isZero() ? "" : " " + duration) + "]";
    }
}
