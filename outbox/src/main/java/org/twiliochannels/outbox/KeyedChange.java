package org.twiliochannels.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.MessageSid;

/**
 * What {@link Outbox#cancel(String)} or {@link Outbox#reschedule(String, Instant)} did to the
 * message with a key: changed it, or found it too late (a worker had started its attempt, or it
 * had an outcome) and changed nothing. The database decides: of a cancel and a worker's attempt,
 * exactly one wins.
 *
 * @param key     the caller's key
 * @param applied true when the message was canceled or moved; false when it was too late
 * @param state   the message's state after the call: {@link OutboxState#CANCELED} or
 *                {@link OutboxState#QUEUED} when applied, else the state that made it too late
 * @param sid     Twilio's SID, when it was accepted
 * @param dueAt   when it is due, when it is queued
 */
public record KeyedChange(String key, boolean applied, OutboxState state, Optional<MessageSid> sid,
                          Optional<Instant> dueAt) {
    /** Checks. */
    public KeyedChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    /**
     * One line for people, e.g. {@code "reminder-7: canceled; no request was made"} or
     * {@code "reminder-7: too late, a worker is sending it (an attempt is recorded); not canceled"}.
     */
    public String describe(String verb) {
        if (applied) {
            return key + ": " + (state == OutboxState.CANCELED ? "canceled; no request was made"
                    : "queued, due " + dueAt.map(Instant::toString).orElse("now"));
        }
        String what = switch (state) {
            case SENDING -> "a worker is sending it (its attempt is recorded)";
            case ACCEPTED -> "Twilio accepted it" + sid.map(s -> " as " + s.value()).orElse("");
            case REJECTED -> "it was rejected";
            case UNKNOWN -> "it may have been sent (outcome unknown)";
            case OPTED_OUT -> "it was not sent: the recipient is opted out";
            case CANCELED -> "it was already canceled";
            case DUPLICATE -> "it was dropped as a duplicate";
            default -> "it is " + state.dbName();
        };
        return key + ": too late, " + what + "; not " + verb;
    }
}
