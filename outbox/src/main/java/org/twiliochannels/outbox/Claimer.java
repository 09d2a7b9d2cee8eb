package org.twiliochannels.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Claiming: takes due messages, and messages whose lease expired (their worker died), under a new
 * lease with a fresh token, through {@link OutboxStore#claim} ({@code SELECT … FOR UPDATE SKIP
 * LOCKED}, so that workers on every instance take disjoint rows), of the worker's accounts. Sends nothing.
 */
final class Claimer {
    private final OutboxStore store;
    private final String worker;
    private final Duration lease;
    private final Clock clock;
    private final OutboxStore.AccountScope accounts;

    Claimer(OutboxStore store, String worker, Duration lease, Clock clock) {
        this(store, worker, lease, clock, OutboxStore.AccountScope.ANY);
    }

    Claimer(OutboxStore store, String worker, Duration lease, Clock clock, OutboxStore.AccountScope accounts) {
        this.accounts = accounts;
        this.store = store;
        this.worker = worker;
        this.lease = lease;
        this.clock = clock;
    }

    /** Claims up to {@code limit} messages in one short transaction; all share one new lease token. */
    List<Claim> claim(int limit) {
        Instant now = clock.instant();
        return store.claim(new OutboxStore.ClaimRequest(worker, UUID.randomUUID().toString(), limit, now,
                now.plus(lease), accounts));
    }

    /** Gives back claims this worker will not start. */
    void release(List<Claim> claims) {
        store.release(claims, clock.instant());
    }
}
