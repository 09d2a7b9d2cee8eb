package org.twiliochannels.core;

import java.util.List;
import java.util.Objects;

/**
 * What Twilio's message log says about a send whose answer was lost: {@link Found} (it was
 * created), {@link Absent} (nothing was created, sending again cannot duplicate it) or
 * {@link Unknown} (several candidates, or the log could not be read).
 */
public sealed interface Settlement {

    /**
     * Exactly one message in the log matches.
     *
     * @param state the message as Twilio knows it now
     */
    record Found(MessageState state) implements Settlement {
        /** Checks the component. */
        public Found {
            Objects.requireNonNull(state, "state");
        }
    }

    /** No message in the log matches, after waiting long enough for one still being created to appear. */
    record Absent() implements Settlement {}

    /**
     * The log cannot tell.
     *
     * @param reason     why, for the user (never a number in full or a body)
     * @param candidates the SIDs that matched, when there were several
     */
    record Unknown(String reason, List<MessageSid> candidates) implements Settlement {
        /** Checks the components. */
        public Unknown {
            Objects.requireNonNull(reason, "reason");
            candidates = List.copyOf(candidates);
        }
    }
}
