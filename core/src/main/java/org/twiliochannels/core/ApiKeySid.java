package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Sids;

/**
 * A Twilio API key SID: {@code "SK"} followed by 32 lower-case hex characters. Not a secret.
 *
 * @param value the canonical text form
 */
public record ApiKeySid(String value) {
    static final String FIX = "Create or copy an API key under Twilio Console > Account > API keys & tokens (its SID starts with SK).";

    /** Validates; prefer {@link #of(String)}. */
    public ApiKeySid {
        Objects.requireNonNull(value, "value");
        Sids.check("API key SID", FIX, value, "SK");
    }

    /**
     * Parses a API key SID.
     *
     * @throws IllegalArgumentException naming what is wrong and how to fix it
     */
    public static ApiKeySid of(String value) {
        return new ApiKeySid(value);
    }

    /** Parses a API key SID, or returns empty when {@code value} is not one. */
    public static Optional<ApiKeySid> parse(String value) {
        return Sids.tryParse(value, ApiKeySid::of);
    }

    @Override
    public String toString() {
        return value;
    }
}
