package org.twiliochannels.core.pacing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets in this process, refilled greedily on {@link System#nanoTime()}. */
final class LocalRateBuckets implements RateBuckets {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public long reserve(String key, long tokens, long capacity, long tokensPerSecond) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity)).reserve(tokens, capacity, tokensPerSecond,
                System.nanoTime());
    }

    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public String toString() {
        return "RateBuckets[local, " + buckets.size() + " bucket(s)]";
    }

    /** One bucket: its tokens (negative while in debt) as of {@code at}. */
    static final class Bucket {
        private double tokens;
        private long at;
        private boolean started;

        Bucket(long capacity) {
            this.tokens = capacity;
        }

        synchronized long reserve(long take, long capacity, long perSecond, long now) {
            if (!started) {
                started = true;
                at = now;
            }
            if (now > at) {
                tokens = Math.min(capacity, tokens + (now - at) * (perSecond / 1e9));
                at = now;
            }
            tokens -= take;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perSecond * 1e9);
        }
    }
}
