package org.twiliochannels.core;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Twilio accepted a message: its SID, the status Twilio returned (usually {@code queued}), the
 * recipient, the channel, the segment count when Twilio reported it, how many attempts it took and
 * whether the acceptance was learnt from Twilio's message log after an answer was lost.
 * {@link #toString()} masks the recipient.
 *
 * @param channel  the id of the channel that sent it, e.g. {@code "sms"}
 * @param sid      the message SID, to look the message up or match status callbacks
 * @param status   the status in Twilio's answer (or in the log, when settled)
 * @param to       the recipient
 * @param segments the number of segments billed, when known
 * @param attempts how many HTTP attempts the send made, 1 when the first one succeeded
 * @param settled  true when Twilio's answer was lost and the message was found in Twilio's log
 */
public record Receipt(String channel, MessageSid sid, MessageStatus status, Address to, OptionalInt segments,
                      int attempts, boolean settled) {
    /** Validates the components. */
    public Receipt {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(segments, "segments");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }

    /** A receipt of a message accepted at the first attempt, not settled. */
    public static Receipt of(String channel, MessageSid sid, MessageStatus status, Address to, OptionalInt segments) {
        return new Receipt(channel, sid, status, to, segments, 1, false);
    }

    @Override
    public String toString() {
        return "Receipt[channel=" + channel + ", sid=" + sid + ", status=" + status + ", to=" + to.masked()
                + ", segments=" + (segments.isPresent() ? String.valueOf(segments.getAsInt()) : "unknown")
                + ", attempts=" + attempts + (settled ? ", settled from Twilio's message log" : "") + "]";
    }
}
