package org.twiliochannels.core.internal.twilio;

import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

/** A message Twilio created: what a receipt needs from the answer or the log. Not API. */
public record Created(MessageSid sid, MessageStatus status, OptionalInt segments) {
    /**
     * From the resource's fields. An answer without a usable SID is an {@link UnreadableAnswer}:
     * Twilio said yes, so a send stays "may have been sent".
     */
    static Created of(String sid, String status, String numSegments) {
        MessageSid s;
        try {
            s = MessageSid.of(sid);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableAnswer("the answer has no usable message SID: " + e.getMessage(), e);
        }
        return new Created(s, MessageStatus.fromTwilio(status), segments(numSegments));
    }

    private static OptionalInt segments(String numSegments) {
        try {
            return numSegments == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(numSegments.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
