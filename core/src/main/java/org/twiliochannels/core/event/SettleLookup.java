package org.twiliochannels.core.event;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.MessageSid;

/**
 * Twilio's message log was read to learn whether an ambiguous attempt created the message.
 *
 * @param sendId  the send's id (0 for a {@link org.twiliochannels.core.TwilioAccount#settle} call)
 * @param channel the channel id
 * @param result  what the log said
 * @param sid     the message found, when {@code result} is {@link SettleResult#FOUND}
 * @param pages   how many pages of the log were read
 */
public record SettleLookup(long sendId, String channel, SettleResult result, Optional<MessageSid> sid, int pages)
        implements SendEvent {
    /** Checks the components. */
    public SettleLookup {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(sid, "sid");
    }

    /** What a look-up found. */
    public enum SettleResult {
        /** Exactly one message matched: it was created. */
        FOUND,
        /** None matched: nothing was created. */
        ABSENT,
        /** Several matched, or the log could not be read. */
        UNKNOWN
    }
}
