package org.twiliochannels.core.event;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Twilio refused an attempt with 429 (or 20429): nothing was created.
 *
 * @param sendId     the send's id
 * @param channel    the channel id
 * @param attempt    which attempt
 * @param retryAfter Twilio's {@code Retry-After}, when it sent one
 */
public record Throttled(long sendId, String channel, int attempt, Optional<Duration> retryAfter) implements SendEvent {
    /** Checks the components. */
    public Throttled {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }
}
