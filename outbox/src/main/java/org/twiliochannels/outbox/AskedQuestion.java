package org.twiliochannels.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One question asked in a conversation, as stored.
 *
 * @param id           the row's id
 * @param conversation the conversation it was asked in
 * @param question     the name of its {@link Question}
 * @param data         what the application gave with it (e.g. an appointment id; empty if none)
 * @param state        where it stands
 * @param askedAt      when it was asked
 * @param timeoutAt    when its time-out fires unless answered
 */
public record AskedQuestion(long id, Conversation conversation, String question, String data, QuestionState state,
                            Instant askedAt, Instant timeoutAt) {
    /** Validates. */
    public AskedQuestion {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(askedAt, "askedAt");
        Objects.requireNonNull(timeoutAt, "timeoutAt");
    }
}
