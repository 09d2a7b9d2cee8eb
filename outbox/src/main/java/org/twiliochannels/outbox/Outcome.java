package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.MessageStatus;

/** What became of one claimed message: the value {@link SendClaimed} returns and {@link OutcomeWriter} records. */
sealed interface Outcome {
    /** The claim it is about. */
    Claim claim();

    /**
     * The outbox is done with the message: accepted, rejected or unknown, with its history entry.
     *
     * @param claim   the claim
     * @param state   {@link OutboxState#ACCEPTED}, {@link OutboxState#REJECTED} or {@link OutboxState#UNKNOWN}
     * @param event   the history entry's kind
     * @param attempt the attempt it belongs to
     * @param sid     Twilio's SID, when accepted
     * @param status  Twilio's status, when accepted
     * @param code    Twilio's error code, if any
     * @param error   the error kept on the row, if any
     * @param detail  the history entry's detail
     */
    record Finished(Claim claim, OutboxState state, EventKind event, int attempt, Optional<String> sid,
                    Optional<MessageStatus> status, OptionalInt code, Optional<String> error, String detail)
            implements Outcome {
        /** Checks the components. */
        public Finished {
            Objects.requireNonNull(claim, "claim");
            if (!state.isOutcome()) {
                throw new IllegalArgumentException("a finished outcome is accepted, rejected or unknown, not " + state);
            }
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Not sent: the message is queued again, due {@code backoff} after the outcome is recorded.
     *
     * @param claim   the claim
     * @param attempt the attempt that failed
     * @param backoff how long it waits before it is due again
     * @param code    Twilio's error code, if any
     * @param error   why it was not sent
     */
    record Retry(Claim claim, int attempt, Duration backoff, OptionalInt code, String error) implements Outcome {
        /** Checks the components. */
        public Retry {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(error, "error");
        }
    }

    /** The worker is stopping and never started an attempt: the message goes back to the queue. */
    record Released(Claim claim) implements Outcome {}

    /** Another worker took the message over before the attempt could be recorded: nothing to write. */
    record LeaseLost(Claim claim) implements Outcome {}

    static Finished accepted(Claim c, EventKind event, int attempt, String sid, MessageStatus status, OptionalInt code,
                             Optional<String> error, String detail) {
        return new Finished(c, OutboxState.ACCEPTED, event, attempt, Optional.of(sid), Optional.of(status), code, error,
                detail);
    }

    static Finished rejected(Claim c, int attempt, OptionalInt code, String error, String detail) {
        return new Finished(c, OutboxState.REJECTED, EventKind.REJECTED, attempt, Optional.empty(), Optional.empty(),
                code, Optional.of(error), detail);
    }

    static Finished unknown(Claim c, EventKind event, int attempt, OptionalInt code, String error, String detail) {
        return new Finished(c, OutboxState.UNKNOWN, event, attempt, Optional.empty(), Optional.empty(), code,
                Optional.of(error), detail);
    }
}
