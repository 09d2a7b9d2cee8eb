package org.twiliochannels.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link OutboxWorker} is doing, from {@link OutboxWorker#health()}: running, waiting for
 * its database (claiming nothing meanwhile, retrying with backoff), or stopped. For health checks
 * and gauges; a new value each time it changes.
 *
 * @param state        running, waiting for the database, or stopped
 * @param since        when it entered this state
 * @param lastError    while the database cannot be reached, the last error (the driver's or the pool's message)
 * @param outages      how many times since the worker started the database could not be reached
 */
public record WorkerHealth(State state, Instant since, Optional<String> lastError, long outages) {
    /** What a worker is doing. */
    public enum State {
        /** Claiming and sending. */
        RUNNING,
        /**
         * Its database cannot be reached: it claims nothing, keeps the outcomes it has in memory, sends
         * nothing whose attempt it could not record, and tries again with backoff.
         */
        DATABASE_UNAVAILABLE,
        /** Closed. */
        STOPPED
    }

    /** Checks the components. */
    public WorkerHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastError, "lastError");
        if (outages < 0) {
            throw new IllegalArgumentException("outages must be zero or more, was " + outages);
        }
    }

    /** True when the worker is claiming and sending. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }
}
