package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A message as Twilio knows it now: use it to settle a {@link DeliveryUnknownException} or to
 * follow delivery.
 *
 * @param sid          the message SID
 * @param status       the current status
 * @param errorCode    Twilio's error code, for failed or undelivered messages
 * @param errorMessage Twilio's error message, if any
 */
public record MessageState(MessageSid sid, MessageStatus status, OptionalInt errorCode, Optional<String> errorMessage) {
    /** Validates the components. */
    public MessageState {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }
}
