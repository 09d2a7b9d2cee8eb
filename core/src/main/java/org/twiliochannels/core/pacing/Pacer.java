package org.twiliochannels.core.pacing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.core.spi.Sender;

/**
 * Send times for messages: each message's segments from its sender's bucket, and every message's
 * from the account's, at the rates of {@link PacingSettings}. Reservations are made for a whole
 * batch at once (one call per sender per bucket capacity, one for the account), and each message
 * gets the moment it may go; the caller waits for it. Thread-safe.
 */
public final class Pacer {
    /** Tokens per segment: fractional rates (0.5 segments per second) pace exactly. */
    public static final long TOKENS_PER_SEGMENT = 1000;
    private static final long MAX_WAIT_NANOS = 3_600_000_000_000L;

    private final PacingSettings settings;
    private final RateBuckets buckets;
    private final String accountKey;

    /**
     * A pacer for one account ({@code account}: any stable name, e.g. its SID) on {@code buckets}.
     */
    public Pacer(PacingSettings settings, RateBuckets buckets, String account) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.buckets = Objects.requireNonNull(buckets, "buckets");
        this.accountKey = "account:" + Objects.requireNonNull(account, "account");
    }

    /** The settings. */
    public PacingSettings settings() {
        return settings;
    }

    /** True when the buckets are shared by every instance on their store. */
    public boolean isShared() {
        return buckets.isShared();
    }

    /**
     * The pace of a message from {@code sender}: its key is the address or Messaging Service SID,
     * its rate the one set for it, or else {@link SenderRate#forSender} for a phone number or a
     * WhatsApp address and 1 segment per second for a Messaging Service.
     */
    public Pace pace(Sender sender, int segments) {
        Objects.requireNonNull(sender, "sender");
        String key = sender.address().map(Address::value)
                .orElseGet(() -> sender.messagingService().orElseThrow().value());
        double rate = settings.senderRate(key).orElseGet(() -> sender.address().map(Pacer::defaultRate).orElse(1.0));
        return new Pace(key, rate, segments);
    }

    static double defaultRate(Address sender) {
        if (sender instanceof WhatsAppAddress || sender instanceof PhoneNumber) {
            return SenderRate.forSender(sender).segmentsPerSecond();
        }
        return 1;
    }

    /** When one message may go, on the {@link System#nanoTime()} scale. */
    public long reserve(Pace pace) throws InterruptedException {
        return reserve(List.of(pace))[0];
    }

    /**
     * When each message of a batch may go, on the {@link System#nanoTime()} scale, never before
     * now. A sender's messages are reserved in as few calls as its bucket's capacity allows and
     * spread evenly up to the moment the last token of each call is there; the whole batch's
     * segments are reserved from the account's bucket at once. Tokens of one call are contiguous in
     * time; other instances' reservations may interleave between calls.
     */
    public long[] reserve(List<Pace> batch) throws InterruptedException {
        long now = System.nanoTime();
        long[] at = new long[batch.size()];
        Map<String, List<Integer>> bySender = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            bySender.computeIfAbsent(batch.get(i).sender(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : bySender.values()) {
            Pace first = batch.get(group.get(0));
            long[] times = spread("sender:" + first.sender(), first.rate(),
                    group.stream().mapToInt(i -> batch.get(i).segments()).toArray());
            for (int k = 0; k < times.length; k++) {
                at[group.get(k)] = times[k];
            }
        }
        long[] account = spread(accountKey, settings.accountCap(), batch.stream().mapToInt(Pace::segments).toArray());
        for (int i = 0; i < at.length; i++) {
            at[i] = Math.max(now, Math.max(at[i], account[i]));
        }
        return at;
    }

    /** Reserves a series of messages from one bucket in chunks of its capacity; returns each one's time. */
    private long[] spread(String key, double perSecond, int[] segments) throws InterruptedException {
        long[] at = new long[segments.length];
        long capacity = capacity(perSecond);
        long capacitySegments = Math.max(1, capacity / TOKENS_PER_SEGMENT);
        int from = 0;
        while (from < segments.length) {
            int to = from;
            long chunk = 0;
            while (to < segments.length && (to == from || chunk + segments[to] <= capacitySegments)) {
                chunk += segments[to++];
            }
            long until = take(key, perSecond, capacity, chunk);
            long cumulative = 0;
            for (int i = from; i < to; i++) {
                cumulative += segments[i];
                at[i] = until - (long) ((chunk - cumulative) / perSecond * 1e9);
            }
            from = to;
        }
        return at;
    }

    /** Takes {@code segments} in calls of at most the capacity; returns when the last token is there. */
    private long take(String key, double perSecond, long capacity, long segments) throws InterruptedException {
        long left = segments * TOKENS_PER_SEGMENT;
        long refill = Math.max(1, Math.round(perSecond * TOKENS_PER_SEGMENT));
        long until = System.nanoTime();
        while (left > 0) {
            long n = Math.min(left, capacity);
            long wait = buckets.reserve(key, n, capacity, refill);
            if (wait > MAX_WAIT_NANOS) {
                throw new IllegalStateException("pacing: " + segments + " segments for " + key + " at " + perSecond
                        + "/s would wait more than an hour; lower the batch size or raise the rate");
            }
            until = System.nanoTime() + wait;
            left -= n;
        }
        return until;
    }

    /** A bucket's capacity in tokens: the burst at its rate, at least one segment. */
    public long capacity(double perSecond) {
        return Math.max(TOKENS_PER_SEGMENT,
                Math.round(perSecond * TOKENS_PER_SEGMENT * settings.burst().toNanos() / 1e9));
    }

    @Override
    public String toString() {
        return "Pacer[" + settings + ", " + buckets + "]";
    }
}
