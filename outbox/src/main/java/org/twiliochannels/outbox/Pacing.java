package org.twiliochannels.outbox;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Token buckets in segments per second, one per key (a sender, the account). On PostgreSQL they
 * live in the database (Bucket4j's PostgreSQL backend, {@code SELECT … FOR UPDATE} on
 * {@code <prefix>rate_bucket}), so every instance draws from the same bucket; on H2 they live in
 * this process (Bucket4j's local bucket): one machine only.
 *
 * <p>Tokens are reserved, not waited for: a reservation returns when the last token reserved will
 * be there, and the caller spaces its sends up to that moment. Tokens are thousandths of a
 * segment, so fractional rates (0.5 segments per second) pace exactly.
 */
final class Pacing {
    /** Tokens per segment. */
    static final long SCALE = 1000;
    /** The burst a bucket allows, as time at full rate (at least one segment). */
    static final Duration BURST = Duration.ofMillis(100);
    private static final long MAX_WAIT_NANOS = Duration.ofHours(1).toNanos();

    private final ProxyManager<String> shared;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final String prefix;

    private Pacing(ProxyManager<String> shared, String prefix) {
        this.shared = shared;
        this.prefix = prefix;
    }

    /** Buckets in the database's {@code <prefix>rate_bucket} table (PostgreSQL). */
    static Pacing shared(DataSource dataSource, String prefix) {
        ProxyManager<String> manager = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(prefix + "rate_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .build();
        return new Pacing(manager, prefix);
    }

    /** Buckets in this process only (H2: one machine). */
    static Pacing local() {
        return new Pacing(null, "");
    }

    /** True when every instance on the database shares the buckets. */
    boolean isShared() {
        return shared != null;
    }

    /**
     * Takes {@code segments} from the bucket {@code key}, which refills at {@code perSecond}.
     *
     * @return when the last of them is available, on the {@link System#nanoTime()} scale, counted from
     *         when the bucket answered (never early: the round trip to the database is not subtracted)
     */
    long reserve(String key, double perSecond, long segments) throws InterruptedException {
        Bucket bucket = bucket(key, perSecond);
        long[] wait = {0};
        BlockingStrategy capture = nanos -> wait[0] = nanos;
        long left = segments * SCALE;
        long until = System.nanoTime();
        long chunk = capacity(perSecond); // a bucket never grants more than its capacity at once
        while (left > 0) {
            long take = Math.min(left, chunk);
            wait[0] = 0;
            if (!bucket.asBlocking().tryConsume(take, MAX_WAIT_NANOS, capture)) {
                throw new IllegalStateException("pacing: " + segments + " segments for " + key + " at " + perSecond
                        + "/s would wait more than an hour; lower the batch size or raise the rate");
            }
            until = System.nanoTime() + wait[0];
            left -= take;
        }
        return until;
    }

    /**
     * When each of a series of messages may go: their segments are reserved from the bucket
     * {@code key} in as few calls as its capacity allows, and the messages of one call are spread
     * evenly up to the moment its last token is there. A call's tokens are contiguous in time;
     * tokens of separate calls may be interleaved with other instances' reservations.
     *
     * @return the {@link System#nanoTime()} of each message, in order
     */
    long[] schedule(String key, double perSecond, int[] segments) throws InterruptedException {
        long[] at = new long[segments.length];
        long capacitySegments = Math.max(1, capacity(perSecond) / SCALE);
        int from = 0;
        while (from < segments.length) {
            int to = from;
            long chunk = 0;
            while (to < segments.length && (to == from || chunk + segments[to] <= capacitySegments)) {
                chunk += segments[to++];
            }
            long until = reserve(key, perSecond, chunk);
            long cumulative = 0;
            for (int i = from; i < to; i++) {
                cumulative += segments[i];
                at[i] = until - (long) ((chunk - cumulative) / perSecond * 1e9);
            }
            from = to;
        }
        return at;
    }

    private Bucket bucket(String key, double perSecond) {
        if (shared != null) {
            return shared.builder().build(prefix + key, () -> configuration(perSecond));
        }
        return local.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity(perSecond)).refillGreedy(refill(perSecond), Duration.ofSeconds(1)))
                .build());
    }

    static BucketConfiguration configuration(double perSecond) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity(perSecond)).refillGreedy(refill(perSecond), Duration.ofSeconds(1)))
                .build();
    }

    private static long refill(double perSecond) {
        return Math.max(1, Math.round(perSecond * SCALE));
    }

    private static long capacity(double perSecond) {
        return Math.max(SCALE, Math.round(perSecond * SCALE * BURST.toNanos() / 1e9));
    }
}
