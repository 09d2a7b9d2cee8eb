package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.Objects;
import org.twiliochannels.core.pacing.PacingSettings;

/**
 * How an {@link OutboxWorker} works: sends in flight, claim size, polling, attempts, retention and
 * pacing. Immutable; pass it to {@link Outbox#startWorker(org.twiliochannels.core.TwilioAccount,
 * WorkerSettings)}. Give every instance the same pacing.
 *
 * <pre>{@code
 * WorkerSettings settings = WorkerSettings.builder().concurrency(64)
 *         .pacing(PacingSettings.builder().senderRate("+14155550100", 10).build()).build();
 * OutboxWorker worker = outbox.startWorker(account, settings);
 * }</pre>
 */
public final class WorkerSettings {
    private static final WorkerSettings DEFAULTS = builder().build();

    private final int concurrency;
    private final int batchSize;
    private final Duration pollInterval;
    private final int maxAttempts;
    private final Duration retention;
    private final PacingSettings pacing;

    private WorkerSettings(Builder b) {
        this.concurrency = b.concurrency;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.maxAttempts = b.maxAttempts;
        this.retention = b.retention;
        this.pacing = b.pacing;
    }

    /** The defaults, as documented on the builder's setters. */
    public static WorkerSettings defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these settings. */
    public Builder newBuilder() {
        return new Builder().concurrency(concurrency).batchSize(batchSize).pollInterval(pollInterval)
                .maxAttempts(maxAttempts).retention(retention).pacing(pacing);
    }

    /** The most sends in flight at once (fewer for a while after Twilio answers 429). */
    public int concurrency() {
        return concurrency;
    }

    /** The most messages one claim takes. */
    public int batchSize() {
        return batchSize;
    }

    /** How long an idle worker waits before looking for due messages again. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Attempts before a message that keeps failing without being sent is given up as rejected. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** How long finished messages are kept; zero keeps them all. */
    public Duration retention() {
        return retention;
    }

    /** The account cap and the senders' rates. */
    public PacingSettings pacing() {
        return pacing;
    }

    /** Messages claimed and not finished at most: sends in flight plus those waiting for their paced time. */
    int prefetch() {
        return concurrency * 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerSettings w && w.concurrency == concurrency && w.batchSize == batchSize
                && w.pollInterval.equals(pollInterval) && w.maxAttempts == maxAttempts && w.retention.equals(retention)
                && w.pacing.equals(pacing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, batchSize, pollInterval, maxAttempts, retention, pacing);
    }

    @Override
    public String toString() {
        return "WorkerSettings[concurrency=" + concurrency + ", batchSize=" + batchSize + ", pollInterval="
                + pollInterval + ", maxAttempts=" + maxAttempts + ", retention=" + retention + ", " + pacing + "]";
    }

    /** Builds {@link WorkerSettings}; every default is documented on its setter. */
    public static final class Builder {
        private int concurrency = 16;
        private int batchSize = 50;
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxAttempts = 10;
        private Duration retention = Duration.ofDays(30);
        private PacingSettings pacing = PacingSettings.defaults();

        private Builder() {}

        /**
         * Sends in flight at once (default 16), 1 to 1000; give the account as many connections.
         * Halved while Twilio answers 429, grown back one at a time.
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = inRange("concurrency", concurrency, 1000);
            return this;
        }

        /** The most messages one claim takes (default 50), 1 to 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = inRange("batchSize", batchSize, 1000);
            return this;
        }

        /** How long an idle worker waits before looking for due messages again (default 250 ms). */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Attempts before a message that keeps failing without being sent (Twilio unreachable,
         * throttled beyond the retries, credentials refused) is given up as rejected (default 10).
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How long finished messages are kept (default 30 days); workers purge older ones hourly.
         * {@link Duration#ZERO} turns the purge off.
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention must be zero (keep everything) or positive, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * The account cap and the senders' rates (default {@link PacingSettings#defaults()}: 2,000
         * segments per second for the account, each sender at the default rate of its kind). On
         * PostgreSQL every instance draws from the same buckets.
         */
        public Builder pacing(PacingSettings pacing) {
            this.pacing = Objects.requireNonNull(pacing, "pacing");
            return this;
        }

        /** The settings. */
        public WorkerSettings build() {
            return new WorkerSettings(this);
        }

        private static int inRange(String name, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be 1 to " + max + ", was " + value);
            }
            return value;
        }
    }
}
