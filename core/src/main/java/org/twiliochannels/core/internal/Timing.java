package org.twiliochannels.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The clocks and the sleep of the send engine; tests inject their own. Also the one place where
 * the engine turns a {@link Duration} into nanoseconds: {@link #nanos} and {@link #after} saturate
 * instead of overflowing, so a {@code Retry-After} of 3,000 years, a settle delay of
 * {@code Long.MAX_VALUE} seconds or a clock with a negative origin cannot throw
 * {@link ArithmeticException} or wrap a deadline into the past. Not API.
 */
public interface Timing {
    /**
     * The longest span the engine computes with, about 73 years. Instants are compared only by
     * their difference, as {@link System#nanoTime()} asks: an instant this far from now still has
     * an exact difference with now, even where the sum wraps.
     */
    long LONGEST_NANOS = Long.MAX_VALUE / 4;

    /** {@code d} in nanoseconds, held to [0, {@link #LONGEST_NANOS}]: never throws, never negative. */
    static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofNanos(LONGEST_NANOS)) >= 0 ? LONGEST_NANOS : d.toNanos();
    }

    /** The instant {@code d} after {@code nowNanos}, with {@code d} held as by {@link #nanos}. */
    static long after(long nowNanos, Duration d) {
        return nowNanos + nanos(d);
    }

    /** {@code d} for a message: in milliseconds, or in seconds where milliseconds would not fit a long. */
    static String describe(Duration d) {
        return d.getSeconds() >= Long.MAX_VALUE / 1000 ? d.getSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * The earlier of two {@link System#nanoTime()} instants, compared by their difference (as
     * {@code System.nanoTime} asks), so a sum that wrapped past {@code Long.MAX_VALUE} still counts
     * as later; {@code Math.min} would pick the wrapped one.
     */
    static long earlier(long aNanos, long bNanos) {
        return aNanos - bNanos <= 0 ? aNanos : bNanos;
    }

    /** What is left from {@code nowNanos} until {@code endNanos}, never negative. */
    static Duration left(long nowNanos, long endNanos) {
        return Duration.ofNanos(Math.max(0, endNanos - nowNanos));
    }

    /** A monotonic time for deadlines, as {@link System#nanoTime()}. */
    long nanoTime();

    /** The wall-clock time, to compare with Twilio's {@code date_created}. */
    Instant now();

    /** Waits {@code d}. */
    void sleep(Duration d) throws InterruptedException;

    /** The system clocks and {@link Thread#sleep}. */
    Timing SYSTEM = new Timing() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos(d));
        }
    };
}
