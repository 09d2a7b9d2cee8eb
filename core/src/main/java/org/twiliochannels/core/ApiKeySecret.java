package org.twiliochannels.core;

import java.util.Objects;
import org.twiliochannels.core.internal.Secrets;

/**
 * The secret of a Twilio API key: 32 letters and digits, shown once when the key is created. A
 * secret: {@link #toString()} is redacted, {@link #equals(Object)} runs in constant time, and error
 * messages never contain the value.
 */
public final class ApiKeySecret {
    static final String FIX = "Use the secret shown once when the API key was created (Twilio Console > Account > API keys & tokens); if it is lost, create a new key.";

    private final String value;

    private ApiKeySecret(String value) {
        this.value = value;
    }

    /**
     * Parses an API key secret.
     *
     * @throws IllegalArgumentException giving the length or the position of the bad character, never the value
     */
    public static ApiKeySecret of(String value) {
        Objects.requireNonNull(value, "value");
        return new ApiKeySecret(Secrets.check("API key secret", FIX, value, 32, "letters or digits",
                "a letter or digit",
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')));
    }

    /**
     * The secret in clear, for the HTTP transport's {@code Authorization} header only. Every call
     * of this method deserves a look in review.
     */
    public String revealSecret() {
        return value;
    }

    /** The last four characters behind an ellipsis, to tell secrets apart in a report. */
    public String maskedTail() {
        return Secrets.maskedTail(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeySecret other && Secrets.constantTimeEquals(value, other.value);
    }

    /** A constant: a hash of the secret would be a clue to it. */
    @Override
    public int hashCode() {
        return ApiKeySecret.class.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKeySecret[redacted]";
    }
}
