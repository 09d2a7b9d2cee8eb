package org.twiliochannels.core.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SenderRateTest {
    @Test
    void senderDefaultsFollowTheSenderType() {
        assertEquals(SenderRate.WHATSAPP, SenderRate.forSender(org.twiliochannels.core.WhatsAppAddress.SANDBOX));
        assertEquals(SenderRate.TOLL_FREE, SenderRate.forSender(org.twiliochannels.core.PhoneNumber.of("+18885551234")));
        assertEquals(SenderRate.US_LONG_CODE, SenderRate.forSender(org.twiliochannels.core.PhoneNumber.of("+14155551234")));
        assertEquals(Duration.ofHours(10), SenderRate.US_LONG_CODE.drainTime(36_000));
    }
}
