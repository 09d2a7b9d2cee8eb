package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Sids;

/**
 * A Twilio Content SID: {@code "HX"} followed by 32 lower-case hex characters. Not a secret.
 *
 * @param value the canonical text form
 */
public record ContentSid(String value) {
    static final String FIX = "Copy the template SID from Twilio Console > Messaging > Content Template Builder (it starts with HX).";

    /** Validates; prefer {@link #of(String)}. */
    public ContentSid {
        Objects.requireNonNull(value, "value");
        Sids.check("Content SID", FIX, value, "HX");
    }

    /**
     * Parses a Content SID.
     *
     * @throws IllegalArgumentException naming what is wrong and how to fix it
     */
    public static ContentSid of(String value) {
        return new ContentSid(value);
    }

    /** Parses a Content SID, or returns empty when {@code value} is not one. */
    public static Optional<ContentSid> parse(String value) {
        return Sids.tryParse(value, ContentSid::of);
    }

    @Override
    public String toString() {
        return value;
    }
}
