package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Sids;

/**
 * A Twilio Account SID: {@code "AC"} followed by 32 lower-case hex characters, as shown under
 * <em>Account Info</em> on the Twilio Console home page. Not a secret.
 *
 * @param value the canonical text form
 */
public record AccountSid(String value) {
    static final String FIX = "Copy the Account SID from Twilio Console > Account Info (it starts with AC).";

    /** Validates; prefer {@link #of(String)}. */
    public AccountSid {
        Objects.requireNonNull(value, "value");
        Sids.check("Account SID", FIX, value, "AC");
    }

    /**
     * Parses an Account SID.
     *
     * @throws IllegalArgumentException naming what is wrong (API key SID, Messaging Service SID,
     *                                  length, quotes, whitespace …) and how to fix it
     */
    public static AccountSid of(String value) {
        return new AccountSid(value);
    }

    /** Parses an Account SID, or returns empty when {@code value} is not one. */
    public static Optional<AccountSid> parse(String value) {
        return Sids.tryParse(value, AccountSid::of);
    }

    @Override
    public String toString() {
        return value;
    }
}
