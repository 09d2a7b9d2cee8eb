package org.twiliochannels.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A send began.
 *
 * @param sendId      the send's id
 * @param channel     the channel id
 * @param maskedTo    the recipient, masked (e.g. {@code +1415***1234})
 * @param startedAt   when, by the account's clock
 */
public record SendStarted(long sendId, String channel, String maskedTo, Instant startedAt) implements SendEvent {
    /** Checks the components. */
    public SendStarted {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(maskedTo, "maskedTo");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
