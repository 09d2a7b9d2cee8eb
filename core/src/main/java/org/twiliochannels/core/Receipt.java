package org.twiliochannels.core;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Twilio accepted a message: its SID, the status Twilio returned (usually {@code queued}), the
 * recipient, the channel, and the segment count when Twilio reported it.
 *
 * @param channel  the id of the channel that sent it, e.g. {@code "sms"}
 * @param sid      the message SID, to look the message up or match status callbacks
 * @param status   the status in Twilio's answer
 * @param to       the recipient
 * @param segments the number of segments billed, when known
 */
public record Receipt(String channel, MessageSid sid, MessageStatus status, Address to, OptionalInt segments) {
    /** Validates the components. */
    public Receipt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(segments, "segments");
    }
}
