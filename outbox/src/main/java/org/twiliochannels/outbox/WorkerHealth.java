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
 * @param lastErrorType while the database cannot be reached, the class of the last error's root cause
 *                      (for health details and logs that must not show messages: a message may name
 *                      the host or the user)
 * @param lastSqlState  while the database cannot be reached, the SQL state of the last error, when the
 *                      driver gave one (class 08: connection exception)
 * @param outages      how many times since the worker started the database could not be reached
 */
public record WorkerHealth(State state, Instant since, Optional<String> lastError, Optional<String> lastErrorType,
                           Optional<String> lastSqlState, long outages) {
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
        Objects.requireNonNull(lastErrorType, "lastErrorType");
        Objects.requireNonNull(lastSqlState, "lastSqlState");
        if (outages < 0) {
            throw new IllegalArgumentException("outages must be zero or more, was " + outages);
        }
    }

    /** A worker claiming and sending since {@code since}, after {@code outages} outages. */
    public static WorkerHealth running(Instant since, long outages) {
        return new WorkerHealth(State.RUNNING, since, Optional.empty(), Optional.empty(), Optional.empty(), outages);
    }

    /** A worker closed at {@code since}, after {@code outages} outages. */
    public static WorkerHealth stopped(Instant since, long outages) {
        return new WorkerHealth(State.STOPPED, since, Optional.empty(), Optional.empty(), Optional.empty(), outages);
    }

    /** True when the worker is claiming and sending. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }
}
