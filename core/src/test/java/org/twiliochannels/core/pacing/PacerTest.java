package org.twiliochannels.core.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.spi.Sender;

class PacerTest {
    /**
     * Buckets that record every call; those whose key starts with {@code slow} are empty and in debt from the
     * start, each token {@code nanosPerToken} after the one before (a fast clock does not refill them).
     */
    static final class Recording implements RateBuckets {
        final List<String> calls = new ArrayList<>();
        final java.util.Map<String, Long> owed = new java.util.HashMap<>();
        final String slow;
        final long nanosPerToken;

        Recording(String slow, long nanosPerToken) {
            this.slow = slow;
            this.nanosPerToken = nanosPerToken;
        }

        @Override
        public synchronized long reserve(String key, long tokens, long capacity, long tokensPerSecond) {
            calls.add(key + " " + tokens + "/" + capacity + " @" + tokensPerSecond);
            return key.startsWith(slow) ? owed.merge(key, tokens, Long::sum) * nanosPerToken : 0;
        }

        @Override
        public boolean isShared() {
            return false;
        }
    }

    @Test
    void aBatchTakesOneReservationPerSenderAndOneForTheAccount() throws InterruptedException {
        Recording buckets = new Recording("", 0);
        Pacer pacer = new Pacer(PacingSettings.builder().accountCap(500).build(), buckets, "AC1");
        pacer.reserve(List.of(new Pace("+1", 100, 1), new Pace("+2", 100, 2), new Pace("+1", 100, 3)));
        // capacity 0.1 s at the rate: 10 segments for the senders, 50 for the account
        assertEquals(List.of("sender:+1 4000/10000 @100000", "sender:+2 2000/10000 @100000",
                "account:AC1 6000/50000 @500000"), buckets.calls);
    }

    @Test
    void aSendersMessagesAreReservedInChunksOfItsBucketsCapacity() throws InterruptedException {
        Recording buckets = new Recording("", 0);
        Pacer pacer = new Pacer(PacingSettings.defaults(), buckets, "AC1");
        pacer.reserve(List.of(new Pace("+1", 1, 1), new Pace("+1", 1, 1), new Pace("+1", 1, 3)));
        // at 1 segment per second the bucket holds one segment: one call per segment, a 3-segment message in 3
        assertEquals(List.of("sender:+1 1000/1000 @1000", "sender:+1 1000/1000 @1000", "sender:+1 1000/1000 @1000",
                "sender:+1 1000/1000 @1000", "sender:+1 1000/1000 @1000"), buckets.calls.subList(0, 5));
    }

    @Test
    void messagesOfOneReservationAreSpreadEvenlyUpToItsLastToken() throws InterruptedException {
        // a bucket in debt: each token is 10 µs away at 100 segments per second, the last of 10 segments 100 ms
        Recording buckets = new Recording("sender:", 10_000);
        Pacer pacer = new Pacer(PacingSettings.builder().accountCap(1e9).build(), buckets, "AC1");
        List<Pace> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new Pace("+1", 100, 1));
        }
        long before = System.nanoTime();
        long[] at = pacer.reserve(batch);
        for (int i = 1; i < at.length; i++) {
            assertEquals(10_000_000L, at[i] - at[i - 1], "one segment at 100/s apart");
        }
        assertTrue(at[9] - before >= 100_000_000L, "the last one when its token is there");
    }

    @Test
    void theAccountCapSpacesMessagesOfDifferentSenders() throws InterruptedException {
        Recording buckets = new Recording("account:", 100_000); // in debt at 10 segments per second
        Pacer pacer = new Pacer(PacingSettings.builder().accountCap(10).build(), buckets, "AC1");
        long[] at = pacer.reserve(List.of(new Pace("+1", 1e6, 1), new Pace("+2", 1e6, 1)));
        // the bucket holds one segment at 10 per second: two reservations, a tenth of a second apart (plus the
        // time between the two calls)
        assertTrue(at[1] - at[0] >= 100_000_000L && at[1] - at[0] < 150_000_000L, "apart: " + (at[1] - at[0]));
    }

    @Test
    void aLocalBucketStartsFullThenRefillsAtItsRate() {
        LocalRateBuckets.Bucket bucket = new LocalRateBuckets.Bucket(2000);
        long t = 1_000_000_000L;
        assertEquals(0, bucket.reserve(1000, 2000, 1000, t));
        assertEquals(0, bucket.reserve(1000, 2000, 1000, t));
        assertEquals(1_000_000_000L, bucket.reserve(1000, 2000, 1000, t), "in debt: a second for the next segment");
        assertEquals(500_000_000L, bucket.reserve(0, 2000, 1000, t + 500_000_000L), "half of the debt refilled");
        // a long pause refills at most its capacity
        assertEquals(0, bucket.reserve(2000, 2000, 1000, t + 60_000_000_000L));
        assertEquals(1_000_000_000L, bucket.reserve(1000, 2000, 1000, t + 60_000_000_000L));
    }

    @Test
    void aSendersPaceComesFromItsSettingOrItsKind() {
        Pacer pacer = new Pacer(PacingSettings.builder().senderRate(" +14155550100 ", 25).build(),
                RateBuckets.local(), "AC1");
        assertEquals(new Pace("+14155550100", 25, 2), pacer.pace(Sender.address(PhoneNumber.of("+14155550100")), 2));
        assertEquals(3, pacer.pace(Sender.address(PhoneNumber.of("+18885551234")), 1).rate());
        assertEquals(80, pacer.pace(Sender.address(WhatsAppAddress.SANDBOX), 1).rate());
        MessagingServiceSid mg = MessagingServiceSid.of("MG" + "0".repeat(32));
        assertEquals(new Pace(mg.value(), 1, 1), pacer.pace(Sender.messagingService(mg), 1));
        assertFalse(pacer.isShared());
    }

    @Test
    void settingsAreCheckedOnce() {
        assertEquals("accountCap must be a positive number of segments per second, was 0.0",
                assertThrows(IllegalArgumentException.class, () -> PacingSettings.builder().accountCap(0)).getMessage());
        assertEquals("senderRate must be a positive number of segments per second, was Infinity",
                assertThrows(IllegalArgumentException.class,
                        () -> PacingSettings.builder().senderRate("+1", Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("burst must be 1 ms to 10 s, was PT11S", assertThrows(IllegalArgumentException.class,
                () -> PacingSettings.builder().burst(Duration.ofSeconds(11))).getMessage());
        PacingSettings s = PacingSettings.builder().accountCap(100).senderRate("+1", 2).build();
        assertEquals(s, s.newBuilder().build());
    }

    @Test
    void limitHalvesOnRateLimitingAndGrowsBackAfterARoundOfSuccesses() {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(8);
        limit.acquire();
        limit.release(true);
        assertEquals(4, limit.limit());
        limit.acquire();
        limit.release(true);
        assertEquals(2, limit.limit());
        for (int i = 0; i < 2; i++) {
            limit.acquire();
            limit.release(false);
        }
        assertEquals(3, limit.limit());
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aThrottledEventHalvesTheLimitOnceAtTheNextRelease() {
        AdaptiveConcurrency limit = new AdaptiveConcurrency(8);
        limit.acquire();
        limit.acquire();
        limit.throttled();
        limit.throttled();
        limit.release();
        assertEquals(4, limit.limit(), "halved once for the events seen so far");
        limit.release();
        assertEquals(4, limit.limit(), "no new event: not halved again");
        assertEquals(0, limit.inFlight());
    }
}
