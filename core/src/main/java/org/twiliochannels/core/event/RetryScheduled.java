package org.twiliochannels.core.event;

import java.time.Duration;
import java.util.Objects;

/**
 * Another attempt will follow after {@code delay}.
 *
 * @param sendId  the send's id
 * @param channel the channel id
 * @param attempt the attempt that failed
 * @param reason  why it is retried
 * @param delay   how long until the next attempt
 */
public record RetryScheduled(long sendId, String channel, int attempt, RetryReason reason, Duration delay)
        implements SendEvent {
    /** Checks the components. */
    public RetryScheduled {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(delay, "delay");
    }
}
