package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.Optional;

/**
 * Small typed values kept for one {@link Conversation} in the outbox's database, each with an
 * expiry: after it a value is gone. From {@link Conversations#state(Conversation)} each call is a
 * transaction of its own; from {@link QuestionEvent#state()} calls belong to the answer's or the
 * time-out's transaction.
 */
public interface ConversationState {

    /** The value of {@code key}, unless absent or expired. */
    <T> Optional<T> get(StateKey<T> key);

    /**
     * Sets {@code key} to {@code value} for {@code lifetime}.
     *
     * @throws IllegalArgumentException when {@code lifetime} is not positive, or the value is too long
     */
    <T> void put(StateKey<T> key, T value, Duration lifetime);

    /** Removes {@code key}; true when it was there. */
    boolean remove(StateKey<?> key);
}
