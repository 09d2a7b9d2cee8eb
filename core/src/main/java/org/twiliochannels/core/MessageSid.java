package org.twiliochannels.core;

import java.util.Objects;
import org.twiliochannels.core.internal.Sids;

/**
 * The SID Twilio gives a message: {@code "SM"} (or {@code "MM"} for MMS) followed by 32 lower-case
 * hex characters. Use it to look a message up, or to match status callbacks to sends.
 *
 * @param value the canonical text form
 */
public record MessageSid(String value) {
    private static final String FIX = "Use the SID returned in the Receipt or shown in Twilio Console > Monitor > Messaging.";

    /** Validates; prefer {@link #of(String)}. */
    public MessageSid {
        Objects.requireNonNull(value, "value");
        Sids.check("Message SID", FIX, value, "SM", "MM");
    }

    /**
     * Parses a message SID.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MessageSid of(String value) {
        return new MessageSid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
