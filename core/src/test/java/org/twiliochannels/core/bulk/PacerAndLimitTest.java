package org.twiliochannels.core.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerAndLimitTest {
    @Test
    void pacerSpacesReservationsByCostOverRate() {
        BulkSender.Pacer pacer = new BulkSender.Pacer(100); // 10 ms per unit
        long first = pacer.reserve(1);
        long second = pacer.reserve(3);
        long third = pacer.reserve(1);
        assertTrue(first <= 0, "the first slot is now");
        assertTrue(second >= 9_000_000L && second <= 10_000_000L, "second waits ~10 ms: " + second);
        assertTrue(third >= 39_000_000L && third <= 40_000_000L, "third waits ~40 ms (1 + 3 units): " + third);
    }

    @Test
    void limitHalvesOnRateLimitingAndGrowsBackAfterARoundOfSuccesses() {
        BulkSender.AdaptiveLimit limit = new BulkSender.AdaptiveLimit(8);
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
    void senderDefaultsFollowTheSenderType() {
        assertEquals(SenderRate.WHATSAPP, SenderRate.forSender(org.twiliochannels.core.WhatsAppAddress.SANDBOX));
        assertEquals(SenderRate.TOLL_FREE, SenderRate.forSender(org.twiliochannels.core.PhoneNumber.of("+18885551234")));
        assertEquals(SenderRate.US_LONG_CODE, SenderRate.forSender(org.twiliochannels.core.PhoneNumber.of("+14155551234")));
        assertEquals(Duration.ofHours(10), SenderRate.US_LONG_CODE.drainTime(36_000));
    }
}
