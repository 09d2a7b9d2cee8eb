package org.twiliochannels.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The clocks and the sleep of the send engine; tests inject their own. Not API. */
public interface Timing {
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
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        }
    };
}
