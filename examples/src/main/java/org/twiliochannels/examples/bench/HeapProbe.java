package org.twiliochannels.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.bulk.BulkSender;
import org.twiliochannels.core.bulk.BulkSummary;
import org.twiliochannels.core.bulk.SenderRate;

/**
 * Run in a child JVM by {@link Benchmarks}: sends {@code N} messages through {@link BulkSender} to a
 * channel that accepts instantly, either streamed ({@code stream}) or first collected into a list
 * ({@code list}, the baseline), and prints the peak heap used in bytes.
 */
public final class HeapProbe {
    private HeapProbe() {}

    /** {@code HeapProbe stream|list N}. */
    public static void main(String[] args) {
        boolean stream = args[0].equals("stream");
        int n = Integer.parseInt(args[1]);
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        Iterator<Integer> items;
        List<Message> collected = null;
        if (stream) {
            items = IntStream.range(0, n).iterator();
        } else {
            collected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                collected.add(message(i));
            }
            items = IntStream.range(0, n).iterator();
        }
        List<Message> held = collected;
        BulkSummary summary;
        try (InstantChannel channel = new InstantChannel()) {
            summary = BulkSender.builder(channel, SenderRate.of(1e9)).accountCap(1e9).concurrency(8).build()
                    .send(items, i -> held == null ? message(i) : held.get(i), o -> { });
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        if (summary.progress().accepted() != n) {
            throw new IllegalStateException("expected " + n + " accepted, got " + summary.progress());
        }
        System.out.println(peak);
    }

    private static Message message(int i) {
        return Message.text(String.format("+1415%07d", 2_000_000 + i), "Reminder: your appointment is tomorrow at 10:00. Reply C to cancel.");
    }

    /** Accepts every message at once, as a stand-in for Twilio when only memory is measured. */
    static final class InstantChannel implements Channel {
        private final AtomicLong sids = new AtomicLong();

        @Override
        public String id() {
            return "instant";
        }

        @Override
        public Receipt send(Message message) {
            return new Receipt("instant", MessageSid.of(String.format("SM%032x", sids.incrementAndGet())),
                    MessageStatus.QUEUED, message.to(), OptionalInt.of(1), 1, false);
        }

        @Override
        public CompletableFuture<Receipt> sendAsync(Message message) {
            return CompletableFuture.completedFuture(send(message));
        }

        /** No account behind it: bulk runs then watch no throttling events. */
        @Override
        public org.twiliochannels.core.TwilioAccount account() {
            return null;
        }

        @Override
        public MessageState cancel(MessageSid sid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
