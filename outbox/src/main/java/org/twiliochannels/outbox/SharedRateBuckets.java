package org.twiliochannels.outbox;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;
import org.twiliochannels.core.pacing.RateBuckets;

/**
 * Pacing buckets every instance shares: rows of {@code <prefix>rate_bucket} in PostgreSQL, through
 * Bucket4j's PostgreSQL backend ({@code SELECT … FOR UPDATE} on the bucket's row per reservation).
 */
final class SharedRateBuckets implements RateBuckets {
    private static final long MAX_WAIT_NANOS = Duration.ofHours(1).toNanos();

    private final ProxyManager<String> manager;
    private final String table;

    private SharedRateBuckets(ProxyManager<String> manager, String table) {
        this.manager = manager;
        this.table = table;
    }

    static SharedRateBuckets on(DataSource dataSource, String table) {
        ProxyManager<String> manager = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(table)
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .build();
        return new SharedRateBuckets(manager, table);
    }

    @Override
    public long reserve(String key, long tokens, long capacity, long tokensPerSecond) throws InterruptedException {
        long[] wait = {0};
        BlockingStrategy capture = nanos -> wait[0] = nanos;
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(tokensPerSecond, Duration.ofSeconds(1)))
                .build();
        if (!manager.builder().build(key, () -> configuration).asBlocking().tryConsume(tokens, MAX_WAIT_NANOS, capture)) {
            return MAX_WAIT_NANOS + 1;
        }
        return wait[0];
    }

    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public String toString() {
        return "RateBuckets[shared, " + table + "]";
    }
}
