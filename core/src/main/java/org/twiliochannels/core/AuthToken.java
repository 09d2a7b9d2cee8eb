package org.twiliochannels.core;

import java.util.Objects;
import org.twiliochannels.core.internal.Secrets;

/**
 * A Twilio auth token: 32 lower-case hex characters, shown (after a click) under <em>Account
 * Info</em> on the Twilio Console home page. A secret: {@link #toString()} is redacted,
 * {@link #equals(Object)} runs in constant time, and error messages never contain the value.
 */
public final class AuthToken {
    static final String FIX = "Copy the Auth Token from Twilio Console > Account Info (click 'Show'), or use an API key.";

    private final String value;

    private AuthToken(String value) {
        this.value = value;
    }

    /**
     * Parses an auth token.
     *
     * @throws IllegalArgumentException giving the length or the position of the bad character, never the value
     */
    public static AuthToken of(String value) {
        Objects.requireNonNull(value, "value");
        return new AuthToken(Secrets.check("Auth token", FIX, value, 32, "lower-case hex characters",
                "a lower-case hex digit", Secrets::isLowerHex));
    }

    /**
     * The token in clear, for the HTTP transport's {@code Authorization} header only. Every call of
     * this method deserves a look in review.
     */
    public String revealSecret() {
        return value;
    }

    /** The last four characters behind an ellipsis ({@code "…1f2e"}), to tell tokens apart in a report. */
    public String maskedTail() {
        return Secrets.maskedTail(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthToken other && Secrets.constantTimeEquals(value, other.value);
    }

    /** A constant: a hash of the token would be a clue to it. */
    @Override
    public int hashCode() {
        return AuthToken.class.hashCode();
    }

    @Override
    public String toString() {
        return "AuthToken[redacted]";
    }
}
