package org.twiliochannels.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the {@link FakeTwilio} plays instead of (or after) its normal answer, to test how code
 * copes with Twilio's bad days. Both sides of an ambiguous failure can be played: a 5xx or a lost
 * connection after which no message exists ({@link #serverError(int)},
 * {@link #disconnectAfterRequest()}), and the same after the message was created
 * ({@link #serverErrorAfterCreate(int)}, {@link #disconnectAfterCreate()}). The client cannot
 * tell the two apart from the answer; only the message log can. {@link #redirect(int)} plays what a
 * wrong base URL or a redirecting proxy answers, which Twilio's API never does.
 */
public final class Fault {
    /** What a fault does. */
    public enum Kind {
        /** HTTP 429 / 20429: never processed. */
        RATE_LIMITED,
        /** HTTP 5xx with Twilio JSON; nothing was created. */
        SERVER_ERROR,
        /** HTTP 5xx with Twilio JSON, after the message was created. */
        SERVER_ERROR_AFTER_CREATE,
        /** An HTML error page; nothing was created. */
        HTML_ERROR,
        /** HTTP 3xx with a {@code Location}, as a proxy or a wrong base URL answers; nothing was created. */
        REDIRECT,
        /** The connection closes after the request was read; nothing was created. */
        DISCONNECT_AFTER_REQUEST,
        /** The message is created, then the connection closes before the answer. */
        DISCONNECT_AFTER_CREATE,
        /** A normal answer, late. */
        DELAY,
        /** A success whose body is not JSON (on a create, the message exists). */
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

    /** An HTTP 5xx answer with a Twilio-style JSON body; the request created nothing. */
    public static Fault serverError(int status) {
        return new Fault(Kind.SERVER_ERROR, check5xx(status), Duration.ZERO);
    }

    /**
     * The message is created as a normal request would create it (when Twilio's rules accept it),
     * then the answer is an HTTP 5xx with a Twilio-style JSON body instead of the 201.
     */
    public static Fault serverErrorAfterCreate(int status) {
        return new Fault(Kind.SERVER_ERROR_AFTER_CREATE, check5xx(status), Duration.ZERO);
    }

    private static int check5xx(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be 5xx, was " + status);
        }
        return status;
    }

    /** An HTML error page with this status, as a proxy or load balancer sends; nothing was created. */
    public static Fault htmlError(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx, was " + status);
        }
        return new Fault(Kind.HTML_ERROR, status, Duration.ZERO);
    }

    /**
     * A redirect (301, 302, 303, 307 or 308) to a login page on a host that never resolves
     * ({@code login.example.invalid}), as a proxy or gateway in front of the wrong host answers;
     * Twilio's API never redirects. Nothing was created.
     */
    public static Fault redirect(int status) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("status must be a redirect (301, 302, 303, 307 or 308), was " + status);
        }
        return new Fault(Kind.REDIRECT, status, Duration.ZERO);
    }

    /** Reads the whole request, then closes the connection without answering; nothing is created. */
    public static Fault disconnectAfterRequest() {
        return new Fault(Kind.DISCONNECT_AFTER_REQUEST, 0, Duration.ZERO);
    }

    /**
     * Creates the message as a normal request would (when Twilio's rules accept it), then closes
     * the connection before any answer is written.
     */
    public static Fault disconnectAfterCreate() {
        return new Fault(Kind.DISCONNECT_AFTER_CREATE, 0, Duration.ZERO);
    }

    /**
     * Handles the request normally, but only after {@code delay}. Longer than the client's read
     * timeout, it is a timeout (on a create, the message exists all the same).
     */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Fault(Kind.DELAY, 0, delay);
    }

    /** Handles the request normally (a create stores the message) but answers with a body that is not JSON. */
    public static Fault malformedSuccess() {
        return new Fault(Kind.MALFORMED_SUCCESS, 0, Duration.ZERO);
    }

    /** What this fault does. */
    public Kind kind() {
        return kind;
    }

    /** True when a message-create request is processed (validated, and stored if valid) under this fault. */
    boolean processes() {
        return switch (kind) {
            case DELAY, MALFORMED_SUCCESS, SERVER_ERROR_AFTER_CREATE, DISCONNECT_AFTER_CREATE -> true;
            default -> false;
        };
    }

    /** True when this fault means something on a request that creates nothing (a read such as the list). */
    boolean suitsReads() {
        return kind != Kind.SERVER_ERROR_AFTER_CREATE && kind != Kind.DISCONNECT_AFTER_CREATE;
    }

    @Override
    public String toString() {
        return "Fault[" + kind + (status != 0 ? " " + status : "") + (duration.isZero() ? "" : " " + duration) + "]";
    }
}
