package org.twiliochannels.core.event;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;

/**
 * A send ended; called once per {@link SendStarted}.
 *
 * @param sendId    the send's id
 * @param channel   the channel id
 * @param outcome   accepted, rejected or unknown
 * @param sid       the message SID, when accepted
 * @param errorCode Twilio's error code of the failure, when there was one
 * @param attempts  how many HTTP attempts were made
 * @param settled   true when the outcome was settled from Twilio's message log
 * @param elapsed   the whole send, retries and waits included
 */
public record SendFinished(long sendId, String channel, Outcome outcome, Optional<MessageSid> sid,
                           OptionalInt errorCode, int attempts, boolean settled, Duration elapsed)
        implements SendEvent {
    /** Checks the components. */
    public SendFinished {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
