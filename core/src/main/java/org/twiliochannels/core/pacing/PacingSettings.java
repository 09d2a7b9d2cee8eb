package org.twiliochannels.core.pacing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How fast to send: the account's cap, the rate of each sender, and the burst a bucket allows, in
 * segments per second. Immutable; the one place these values are checked, for bulk sending and for
 * the outbox.
 */
public final class PacingSettings {
    /** The default account cap, in segments per second. */
    public static final double DEFAULT_ACCOUNT_CAP = 2000;
    /** The default burst: how far ahead of its rate a bucket lets a sender go, as time at that rate. */
    public static final Duration DEFAULT_BURST = Duration.ofMillis(100);

    private static final PacingSettings DEFAULTS = builder().build();

    private final double accountCap;
    private final Map<String, Double> senderRates;
    private final Duration burst;

    private PacingSettings(Builder b) {
        this.accountCap = b.accountCap;
        this.senderRates = Map.copyOf(b.senderRates);
        this.burst = b.burst;
    }

    /** The defaults: a cap of 2,000 segments per second, no sender rates set, a burst of 100 ms. */
    public static PacingSettings defaults() {
        return DEFAULTS;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these settings. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.accountCap = accountCap;
        b.senderRates.putAll(senderRates);
        b.burst = burst;
        return b;
    }

    /** The account's cap in segments per second, shared by every sender. */
    public double accountCap() {
        return accountCap;
    }

    /** The rates set for senders, by sender key (address or Messaging Service SID). */
    public Map<String, Double> senderRates() {
        return senderRates;
    }

    /** The rate set for {@code sender}, if one was. */
    public Optional<Double> senderRate(String sender) {
        return Optional.ofNullable(senderRates.get(Objects.requireNonNull(sender, "sender")));
    }

    /** How far ahead of its rate a bucket lets a sender go (at least one segment). */
    public Duration burst() {
        return burst;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacingSettings p && p.accountCap == accountCap && p.senderRates.equals(senderRates)
                && p.burst.equals(burst);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accountCap, senderRates, burst);
    }

    @Override
    public String toString() {
        return "PacingSettings[accountCap=" + accountCap + ", senderRates=" + senderRates + ", burst=" + burst + "]";
    }

    /** Builds {@link PacingSettings}; every default is documented on its setter. */
    public static final class Builder {
        private double accountCap = DEFAULT_ACCOUNT_CAP;
        private final Map<String, Double> senderRates = new HashMap<>();
        private Duration burst = DEFAULT_BURST;

        private Builder() {}

        /** The account's cap in segments per second, shared by every sender and instance (default 2000). */
        public Builder accountCap(double segmentsPerSecond) {
            this.accountCap = rate("accountCap", segmentsPerSecond);
            return this;
        }

        /**
         * The rate of one sender, by its address or Messaging Service SID as configured (e.g.
         * {@code "+14155550100"}, {@code "whatsapp:+14155238886"}, {@code "MG…"}), in segments per
         * second. Without it: 1 for a long code, 3 for a toll-free number, 80 for WhatsApp, 1 for a
         * Messaging Service (set what Twilio granted it). Give every instance the same rates.
         */
        public Builder senderRate(String sender, double segmentsPerSecond) {
            Objects.requireNonNull(sender, "sender");
            senderRates.put(sender.strip(), rate("senderRate", segmentsPerSecond));
            return this;
        }

        /**
         * How far ahead of its rate a bucket lets a sender go, as time at that rate (default 100 ms,
         * and never less than one segment), 1 ms to 10 s.
         */
        public Builder burst(Duration burst) {
            Objects.requireNonNull(burst, "burst");
            if (burst.compareTo(Duration.ofMillis(1)) < 0 || burst.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("burst must be 1 ms to 10 s, was " + burst);
            }
            this.burst = burst;
            return this;
        }

        /** The settings. */
        public PacingSettings build() {
            return new PacingSettings(this);
        }

        private static double rate(String name, double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException(name + " must be a positive number of segments per second, was " + r);
            }
            return r;
        }
    }
}
