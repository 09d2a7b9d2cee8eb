package org.twiliochannels.core.bulk;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * How fast Twilio drains one sender, in segments per second, and how much traffic it queues before
 * failing with 21611. Twilio accepts API requests faster than this and queues the rest, so pacing at
 * the sender's rate keeps the queue, and the delay of the last message, short.
 *
 * @param segmentsPerSecond the sender's drain rate
 * @param queueWindow       how much of the sender's traffic Twilio queues (10 hours, 4 for WhatsApp)
 * @param description       what sender this is, for reports
 */
public record SenderRate(double segmentsPerSecond, Duration queueWindow, String description) {
    /** A US or Canadian long code (10DLC): about 1 segment per second. */
    public static final SenderRate US_LONG_CODE = new SenderRate(1, Duration.ofHours(10), "US/Canada long code");
    /** A toll-free number: about 3 segments per second. */
    public static final SenderRate TOLL_FREE = new SenderRate(3, Duration.ofHours(10), "toll-free number");
    /** A short code: about 100 segments per second. */
    public static final SenderRate SHORT_CODE = new SenderRate(100, Duration.ofHours(10), "short code");
    /** A WhatsApp sender: about 80 messages per second. */
    public static final SenderRate WHATSAPP = new SenderRate(80, Duration.ofHours(4), "WhatsApp sender");

    private static final Set<String> TOLL_FREE_CODES = Set.of("800", "833", "844", "855", "866", "877", "888");

    /** Validates. */
    public SenderRate {
        if (!(segmentsPerSecond > 0) || Double.isInfinite(segmentsPerSecond)) {
            throw new IllegalArgumentException("segmentsPerSecond must be positive, was " + segmentsPerSecond);
        }
        Objects.requireNonNull(queueWindow, "queueWindow");
        Objects.requireNonNull(description, "description");
    }

    /** A rate of your own, e.g. what Twilio granted a Messaging Service, with a 10-hour queue. */
    public static SenderRate of(double segmentsPerSecond) {
        return new SenderRate(segmentsPerSecond, Duration.ofHours(10), "rate given");
    }

    /** The default for a sender: WhatsApp, a North American toll-free number, or else a long code. */
    public static SenderRate forSender(Address sender) {
        Objects.requireNonNull(sender, "sender");
        if (sender instanceof WhatsAppAddress) {
            return WHATSAPP;
        }
        String n = ((PhoneNumber) sender).value();
        if (n.startsWith("+1") && n.length() == 12 && TOLL_FREE_CODES.contains(n.substring(2, 5))) {
            return TOLL_FREE;
        }
        return US_LONG_CODE;
    }

    /** How long Twilio takes to drain {@code segments} from this sender. */
    public Duration drainTime(long segments) {
        return Duration.ofMillis((long) Math.ceil(segments / segmentsPerSecond * 1000));
    }
}
