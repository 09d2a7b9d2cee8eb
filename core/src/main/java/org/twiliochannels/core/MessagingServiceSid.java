package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Sids;

/**
 * A Twilio Messaging Service SID: {@code "MG"} followed by 32 lower-case hex characters. Not a secret.
 *
 * @param value the canonical text form
 */
public record MessagingServiceSid(String value) {
    static final String FIX = "Copy the Messaging Service SID from Twilio Console > Messaging > Services (it starts with MG).";

    /** Validates; prefer {@link #of(String)}. */
    public MessagingServiceSid {
        Objects.requireNonNull(value, "value");
        Sids.check("Messaging Service SID", FIX, value, "MG");
    }

    /**
     * Parses a Messaging Service SID.
     *
     * @throws IllegalArgumentException naming what is wrong and how to fix it
     */
    public static MessagingServiceSid of(String value) {
        return new MessagingServiceSid(value);
    }

    /** Parses a Messaging Service SID, or returns empty when {@code value} is not one. */
    public static Optional<MessagingServiceSid> parse(String value) {
        return Sids.tryParse(value, MessagingServiceSid::of);
    }

    @Override
    public String toString() {
        return value;
    }
}
