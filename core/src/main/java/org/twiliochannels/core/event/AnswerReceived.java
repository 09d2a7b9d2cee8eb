package org.twiliochannels.core.event;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An attempt got an HTTP answer.
 *
 * @param sendId     the send's id
 * @param channel    the channel id
 * @param attempt    which attempt
 * @param httpStatus the HTTP status
 * @param twilioCode Twilio's error code, for error answers that carry one
 * @param took       from the attempt's start to the answer
 */
public record AnswerReceived(long sendId, String channel, int attempt, int httpStatus, OptionalInt twilioCode,
                             Duration took) implements SendEvent {
    /** Checks the components. */
    public AnswerReceived {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(twilioCode, "twilioCode");
        Objects.requireNonNull(took, "took");
    }
}
