package org.twiliochannels.core.pacing;

/**
 * Where the token buckets of a {@link Pacer} live: in this process ({@link #local()}), or in a
 * store every instance shares (the outbox's PostgreSQL backend). One bucket per key (a sender, the
 * account); tokens are thousandths of a segment ({@link Pacer#TOKENS_PER_SEGMENT}).
 *
 * <p>A reservation takes its tokens at once, into debt if the bucket holds fewer, and says how long
 * the caller must wait for the last of them: the caller spaces its sends up to that moment instead
 * of blocking a thread per message. Implementations are thread-safe.
 */
public interface RateBuckets {
    /**
     * Takes {@code tokens} (at most {@code capacity}) from the bucket {@code key}, which holds at
     * most {@code capacity} tokens and refills at {@code tokensPerSecond}; created full on first use.
     *
     * @return nanoseconds from now until the last token taken is there (0 when it is there now)
     * @throws InterruptedException when interrupted while asking a shared store
     */
    long reserve(String key, long tokens, long capacity, long tokensPerSecond) throws InterruptedException;

    /** True when every instance on the same store draws from the same buckets. */
    boolean isShared();

    /** Buckets in this process only: the pacing of one machine. */
    static RateBuckets local() {
        return new LocalRateBuckets();
    }
}
