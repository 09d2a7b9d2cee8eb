package org.twiliochannels.outbox;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * A question's answer or time-out, given to its {@link AnswerAction} or {@link TimeoutAction}:
 * which question it was, the inbound message that answered it, and what the action may do in the
 * same transaction: send through the outbox, ask another question, read and write the
 * conversation's state, cancel the conversation's other open questions. Valid only while the
 * action runs.
 */
public final class QuestionEvent {
    private final Conversations conversations;
    private final Connection connection;
    private final AskedQuestion question;
    private final InboundMessage message;
    private final String answer;
    private final Instant now;

    QuestionEvent(Conversations conversations, Connection connection, AskedQuestion question, InboundMessage message,
                  String answer, Instant now) {
        this.conversations = conversations;
        this.connection = connection;
        this.question = question;
        this.message = message;
        this.answer = answer;
        this.now = now;
    }

    /** The question's id: stable across tries, for actions outside the database to be idempotent. */
    public long id() {
        return question.id();
    }

    /** The question as asked. */
    public AskedQuestion question() {
        return question;
    }

    /** The conversation. */
    public Conversation conversation() {
        return question.conversation();
    }

    /** What the application gave with the question ({@link Conversations#ask}), e.g. an appointment id. */
    public String data() {
        return question.data();
    }

    /** The message that answered; empty on a time-out. */
    public Optional<InboundMessage> message() {
        return Optional.ofNullable(message);
    }

    /** The answer matched, normalized (e.g. {@code "yes"}) or the button payload; empty on a time-out. */
    public String answer() {
        return answer;
    }

    /** True for a time-out, false for an answer. */
    public boolean timedOut() {
        return message == null;
    }

    /** When the answer arrived, or the time-out was claimed. */
    public Instant at() {
        return now;
    }

    /** Puts {@code message} in the outbox, committed with this answer or time-out; false when its key is already there. */
    public boolean send(OutboxMessage message) {
        Objects.requireNonNull(message, "message");
        return conversations.enqueue(connection, message, now);
    }

    /**
     * Asks another question in this conversation (a follow-up), committed with this answer or
     * time-out, with its {@link Question}'s time-out.
     *
     * @return the new question's id
     */
    public long ask(String question, OutboxMessage message, String data) {
        return conversations.ask(connection, conversation(), question, message, data, null, now);
    }

    /** As {@link #ask(String, OutboxMessage, String)}, waiting {@code timeout} for the answer. */
    public long ask(String question, OutboxMessage message, String data, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return conversations.ask(connection, conversation(), question, message, data, timeout, now);
    }

    /** The conversation's state, read and written in this transaction. */
    public ConversationState state() {
        return conversations.state(connection, conversation());
    }

    /** Closes the conversation's other open questions as cancelled (their time-outs never fire); returns how many. */
    public int cancelOpenQuestions() {
        return conversations.cancelOpen(connection, conversation(), question.id(), now);
    }

    @Override
    public String toString() {
        return "QuestionEvent[" + question.question() + " #" + question.id() + ", " + conversation() + ", "
                + (timedOut() ? "timed out" : "answered " + answer) + "]";
    }
}
