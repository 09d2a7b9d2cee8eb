package org.twiliochannels.core.event;

import java.util.Objects;

/**
 * A message was refused before any request: its recipient opted out, or quiet hours hold it. In a
 * send it comes between {@link SendStarted} and a {@link SendFinished} that is
 * {@link Outcome#REJECTED} with no attempt; a bulk run's check of an item before it is paced
 * ({@link org.twiliochannels.core.Channel#check}) emits it alone, with send id 0.
 *
 * @param sendId  the send's id, or 0 for a check outside a send
 * @param channel the channel id
 * @param reason  opted out or quiet hours
 */
public record SendRefused(long sendId, String channel, RefusalReason reason) implements SendEvent {
    /** Checks the components. */
    public SendRefused {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(reason, "reason");
    }
}
