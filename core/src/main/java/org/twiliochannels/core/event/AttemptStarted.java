package org.twiliochannels.core.event;

import java.util.Objects;

/**
 * An HTTP attempt is about to start.
 *
 * @param sendId  the send's id
 * @param channel the channel id
 * @param attempt 1 for the first attempt
 */
public record AttemptStarted(long sendId, String channel, int attempt) implements SendEvent {
    /** Checks the components. */
    public AttemptStarted {
        Objects.requireNonNull(channel, "channel");
    }
}
