package org.twiliochannels.core.internal.twilio;

import com.twilio.exception.ApiException;
import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

/** A message Twilio created: what a receipt needs from the answer or the log. Not API. */
public record Created(MessageSid sid, MessageStatus status, OptionalInt segments) {
    /**
     * From the SDK's message resource. An answer without a usable SID fails as the SDK fails on an
     * unreadable answer ({@link ApiException}): Twilio said yes, so a send stays "may have been sent".
     */
    public static Created of(com.twilio.rest.api.v2010.account.Message m) {
        MessageSid sid;
        try {
            sid = MessageSid.of(m.getSid());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ApiException("the answer has no usable message SID: " + e.getMessage(), e);
        }
        return new Created(sid, MessageStatus.fromTwilio(String.valueOf(m.getStatus())), segments(m.getNumSegments()));
    }

    private static OptionalInt segments(String numSegments) {
        try {
            return numSegments == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(numSegments.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
