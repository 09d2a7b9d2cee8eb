package org.twiliochannels.core.internal;

import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

/** A message Twilio created: what a receipt needs from the answer or the log. Not API. */
public record Created(MessageSid sid, MessageStatus status, OptionalInt segments) {
    /** From the SDK's message resource. */
    static Created of(com.twilio.rest.api.v2010.account.Message m) {
        return new Created(MessageSid.of(m.getSid()), MessageStatus.fromTwilio(String.valueOf(m.getStatus())),
                segments(m.getNumSegments()));
    }

    private static OptionalInt segments(String numSegments) {
        try {
            return numSegments == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(numSegments.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
