package org.twiliochannels.core;

import java.time.Duration;
import java.util.Objects;

/**
 * When a failed request to Twilio is tried again. The defaults never risk a duplicate message:
 * <ul>
 *   <li>retried: HTTP 429 / Twilio error 20429 (Twilio documents these as never processed), and
 *       failures before the request left this machine (connection refused, DNS, TLS handshake,
 *       connect timeout);</li>
 *   <li>settled from Twilio's message log: a read timeout, a connection lost after the request was
 *       written, and HTTP 500/502/503/504 — Twilio may have accepted the message. After
 *       {@link #settleDelay()} the log is searched for it: found, the send is accepted with that
 *       message; absent, it is sent again (an attempt like any other); several candidates or an
 *       unreadable log, it ends as "delivery unknown". {@link Builder#settleFromLog(boolean)} turns
 *       this off (then these end as "delivery unknown" at once), and
 *       {@link Builder#retryAmbiguousFailures(boolean)} retries them blindly instead (whatever
 *       {@code settleFromLog} says), at the risk of a duplicate;</li>
 *   <li>never retried: other 4xx answers, which are rejections, and answers Twilio's API never
 *       gives (a redirect), which are not sent.</li>
 * </ul>
 * Once an attempt may have created the message (and the log did not show it absent), the send
 * ends accepted or "delivery unknown", never "not sent", whatever later attempts answer.
 * Waits grow exponentially from {@link #initialBackoff()}, each drawn at random between half and
 * all of its step (jitter) and never beyond
 * {@link #maxBackoff()}, and never less than a {@code Retry-After} header asks. The channel's
 * overall deadline ({@link TwilioConfig#sendDeadline()}) bounds the whole series: a wait (backoff,
 * {@code Retry-After}, settle delay) that does not fit in the time left ends the send at once
 * instead, however long it is.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final boolean retryAmbiguousFailures;
    private final boolean settleFromLog;
    private final Duration settleDelay;
    private final Duration settleClockSkew;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryAmbiguousFailures = b.retryAmbiguousFailures;
        this.settleFromLog = b.settleFromLog;
        this.settleDelay = b.settleDelay;
        this.settleClockSkew = b.settleClockSkew;
    }

    /**
     * Up to 4 attempts, 250 ms initial backoff, 8 s maximum, ambiguous failures settled from the log
     * after 5 s (clock skew allowance 60 s), never retried blindly.
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt only: every failure is reported at once. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder newBuilder() {
        return new Builder()
                .maxAttempts(maxAttempts)
                .initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff)
                .retryAmbiguousFailures(retryAmbiguousFailures)
                .settleFromLog(settleFromLog)
                .settleDelay(settleDelay)
                .settleClockSkew(settleClockSkew);
    }

    /** Whether ambiguous failures are settled from Twilio's message log (default true). */
    public boolean settleFromLog() {
        return settleFromLog;
    }

    /**
     * How long after an ambiguous attempt ended the log is read (default 5 s). A request whose
     * answer was lost may still be in Twilio's hands: the message appears in the log only when
     * Twilio has finished creating it, which it does before it answers. Waiting lets a request
     * Twilio was still processing appear, so that "absent" means "never created".
     */
    public Duration settleDelay() {
        return settleDelay;
    }

    /**
     * How far Twilio's clock may differ from this machine's when the log's {@code date_created}
     * is compared with the attempt's time (default 60 s). Twilio stamps to the second; servers
     * synchronised by NTP differ by well under a second, but virtual machines drift; a wider window
     * only makes an identical earlier message a second candidate (then the send stays unknown),
     * never a wrong match.
     */
    public Duration settleClockSkew() {
        return settleClockSkew;
    }

    /** Attempts in all, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait before the first retry, before jitter. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The longest wait between two attempts, unless {@code Retry-After} asks for more. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Whether failures that may have reached Twilio (5xx, read timeout, reset) are retried blindly
     * at the backoff, without reading the log even when {@link #settleFromLog()} is on.
     */
    public boolean retryAmbiguousFailures() {
        return retryAmbiguousFailures;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", retryAmbiguousFailures=" + retryAmbiguousFailures
                + ", settleFromLog=" + settleFromLog + ", settleDelay=" + settleDelay
                + ", settleClockSkew=" + settleClockSkew + "]";
    }

    /** Builds a {@link RetryPolicy}; every setter's default is the one of {@link #defaults()}. */
    public static final class Builder {
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private boolean retryAmbiguousFailures;
        private boolean settleFromLog = true;
        private Duration settleDelay = Duration.ofSeconds(5);
        private Duration settleClockSkew = Duration.ofSeconds(60);

        private Builder() {}

        /** Settle ambiguous failures from Twilio's message log (default true); see {@link RetryPolicy#settleFromLog()}. */
        public Builder settleFromLog(boolean settle) {
            this.settleFromLog = settle;
            return this;
        }

        /** The wait before the log is read (default 5 s, zero allowed); see {@link RetryPolicy#settleDelay()}. */
        public Builder settleDelay(Duration delay) {
            Objects.requireNonNull(delay, "settleDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("settleDelay must be zero or positive, was " + delay);
            }
            this.settleDelay = delay;
            return this;
        }

        /** The clock-skew allowance (default 60 s); see {@link RetryPolicy#settleClockSkew()}. */
        public Builder settleClockSkew(Duration skew) {
            Objects.requireNonNull(skew, "settleClockSkew");
            if (skew.isNegative()) {
                throw new IllegalArgumentException("settleClockSkew must be zero or positive, was " + skew);
            }
            this.settleClockSkew = skew;
            return this;
        }

        /** Attempts in all, at least 1 (default 4). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait before the first retry (default 250 ms); later waits double. */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive("initialBackoff", initialBackoff);
            return this;
        }

        /** The longest wait between attempts (default 8 s). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive("maxBackoff", maxBackoff);
            return this;
        }

        /**
         * Also retry failures after which Twilio may have accepted the message: HTTP 5xx, read
         * timeouts, connections lost after the request was written (default false). Retried at the
         * backoff, like any other retry, instead of settled from the log: this switch wins over
         * {@link #settleFromLog(boolean)}. A send whose attempts all fail so ends as "delivery
         * unknown" (it may have been sent several times); turning this on risks sending a message
         * twice.
         */
        public Builder retryAmbiguousFailures(boolean retry) {
            this.retryAmbiguousFailures = retry;
            return this;
        }

        /** The policy. */
        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalStateException("maxBackoff (" + maxBackoff + ") is shorter than initialBackoff ("
                        + initialBackoff + ")");
            }
            return new RetryPolicy(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
