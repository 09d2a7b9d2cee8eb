package org.twiliochannels.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void earlierComparesByDifferenceSoAWrappedSumStillCountsAsLater() {
        long deadline = Long.MAX_VALUE - 10;
        long wrapped = deadline + 1_000; // past Long.MAX_VALUE: negative, but 1,000 ns later
        assertEquals(deadline, Timing.earlier(deadline, wrapped));
        assertEquals(deadline, Timing.earlier(wrapped, deadline));
        assertEquals(5, Timing.earlier(5, 7));
        assertEquals(-7, Timing.earlier(-5, -7));
    }

    @Test
    void nanosSaturatesInsteadOfOverflowing() {
        assertEquals(Timing.LONGEST_NANOS, Timing.nanos(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(0, Timing.nanos(Duration.ofSeconds(-1)));
        assertEquals(1_500_000_000L, Timing.nanos(Duration.ofMillis(1_500)));
    }
}
