package org.twiliochannels.core.pacing;

import java.util.Objects;

/**
 * One message to pace: the bucket of its sender, that sender's rate and what the message costs.
 *
 * @param sender   the sender's key (its address or Messaging Service SID; any stable name)
 * @param rate     the sender's rate in segments per second
 * @param segments what the message costs, at least 1
 */
public record Pace(String sender, double rate, int segments) {
    /** Checks the components. */
    public Pace {
        Objects.requireNonNull(sender, "sender");
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number of segments per second, was " + rate);
        }
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be at least 1, was " + segments);
        }
    }
}
