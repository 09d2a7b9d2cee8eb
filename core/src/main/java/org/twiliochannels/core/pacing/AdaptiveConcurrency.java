package org.twiliochannels.core.pacing;

import java.util.concurrent.atomic.LongAdder;

/**
 * A limit on requests in flight that halves whenever Twilio rate-limited one of them (HTTP 429, a
 * {@code throttled} event) and grows back by one after a full round of requests that were not.
 * Thread-safe.
 */
public final class AdaptiveConcurrency {
    private final int max;
    private int limit;
    private int inFlight;
    private int successes;
    private final LongAdder throttled = new LongAdder();
    private long throttledSeen;

    /** A limit that starts at, and never grows above, {@code max} (at least 1). */
    public AdaptiveConcurrency(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + max);
        }
        this.max = max;
        this.limit = max;
    }

    /** Waits until fewer requests than the limit are in flight, then counts one more. */
    public synchronized void acquire() {
        boolean interrupted = false;
        while (inFlight >= limit) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        inFlight++;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Notes that Twilio rate-limited a request (from a {@code throttled} event); must be fast, never blocks. */
    public void throttled() {
        throttled.increment();
    }

    /** Counts one request done: the limit halves when {@link #throttled()} was noted since the last such halving. */
    public void release() {
        long now = throttled.sum();
        boolean rateLimited;
        synchronized (this) {
            rateLimited = now > throttledSeen;
            throttledSeen = now;
        }
        release(rateLimited);
    }

    /** Counts one request done; {@code rateLimited} when Twilio rate-limited meanwhile. */
    public synchronized void release(boolean rateLimited) {
        inFlight--;
        if (rateLimited) {
            limit = Math.max(1, limit / 2);
            successes = 0;
        } else if (++successes >= limit) {
            successes = 0;
            limit = Math.min(max, limit + 1);
        }
        notifyAll();
    }

    /** Requests in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The limit now. */
    public synchronized int limit() {
        return limit;
    }

    @Override
    public synchronized String toString() {
        return "AdaptiveConcurrency[" + inFlight + " in flight, limit " + limit + " of " + max + "]";
    }
}
