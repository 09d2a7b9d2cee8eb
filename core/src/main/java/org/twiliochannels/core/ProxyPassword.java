package org.twiliochannels.core;

import java.util.Objects;
import org.twiliochannels.core.internal.Secrets;

/**
 * A forward proxy's password. A secret: {@link #toString()} is redacted, {@link #equals(Object)}
 * runs in constant time, and no message contains the value.
 */
public final class ProxyPassword {
    private final String value;

    private ProxyPassword(String value) {
        this.value = value;
    }

    /**
     * A proxy password.
     *
     * @throws IllegalArgumentException when it is empty
     */
    public static ProxyPassword of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("proxy password is empty: give the password, or no credentials at all");
        }
        return new ProxyPassword(value);
    }

    /** The password in clear, for the proxy's authentication only. Every call deserves a look in review. */
    public String revealSecret() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyPassword p && Secrets.constantTimeEquals(value, p.value);
    }

    /** A constant: a hash of the password would be a clue to it. */
    @Override
    public int hashCode() {
        return ProxyPassword.class.hashCode();
    }

    @Override
    public String toString() {
        return "ProxyPassword[redacted]";
    }
}
