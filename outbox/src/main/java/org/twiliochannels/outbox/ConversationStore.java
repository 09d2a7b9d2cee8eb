package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The statements of the conversation tables ({@code <prefix>conversation_value},
 * {@code <prefix>conversation_question}, {@code <prefix>conversation_inbound},
 * {@code <prefix>whatsapp_window}), reached through {@link OutboxStore#conversations()}. The
 * methods that take a connection run in the caller's transaction ({@link #inTransaction}), so that
 * an answer, what its action sends and what it stores commit together.
 */
interface ConversationStore {

    /** Work on one connection in one transaction. */
    interface Unit<T> {
        T run(Connection c) throws Exception;
    }

    /**
     * Runs {@code unit} in a transaction: committed when it returns, rolled back when it throws.
     *
     * @throws OutboxException       for a database failure
     * @throws ActionFailedException for a checked exception {@code unit} threw (its cause); an
     *                               unchecked one is thrown as it is
     */
    <T> T inTransaction(Unit<T> unit);

    /** The question as stored, with how often its time-out action failed. */
    record QuestionRow(AskedQuestion question, int failures) {}

    // ---- values

    Optional<String> value(Connection c, Conversation conversation, String name, Instant now) throws SQLException;

    void putValue(Connection c, Conversation conversation, String name, String value, Instant expiresAt, Instant now)
            throws SQLException;

    boolean removeValue(Connection c, Conversation conversation, String name) throws SQLException;

    // ---- questions

    long insertQuestion(Connection c, Conversation conversation, String question, String data, Instant askedAt,
                        Instant timeoutAt) throws SQLException;

    /** The most recent question of the conversation open at {@code now} (time-out still ahead), locked. */
    Optional<QuestionRow> newestOpen(Connection c, Conversation conversation, Instant now) throws SQLException;

    /** Every question of the conversation still open (time-out ahead or not fired yet), newest first. */
    List<AskedQuestion> open(Connection c, Conversation conversation) throws SQLException;

    Optional<QuestionRow> question(Connection c, long id) throws SQLException;

    /** Moves an open question to {@code state}; false when it was no longer open. */
    boolean close(Connection c, long id, QuestionState state, String answerSid, Instant now) throws SQLException;

    /** Closes the conversation's open questions but {@code except} as cancelled; returns how many. */
    int cancelOpen(Connection c, Conversation conversation, long except, Instant now) throws SQLException;

    /** Claims the open question whose time-out is due first, locked, skipping those other instances hold. */
    Optional<QuestionRow> claimDue(Connection c, Instant now) throws SQLException;

    /** After a failed time-out action: try again at {@code next}, with {@code failures} recorded. */
    void postpone(Connection c, long id, Instant next, int failures) throws SQLException;

    // ---- inbound messages

    /** Records a message SID; false when it was recorded before (a repeated delivery). */
    boolean firstDelivery(Connection c, String messageSid, Instant now) throws SQLException;

    // ---- WhatsApp windows

    /** Records that {@code person} wrote to {@code sender} at {@code at}. */
    void inbound(Connection c, String person, String sender, Instant at) throws SQLException;

    /** Records that WhatsApp refused a free-form message from {@code sender} to {@code person} at {@code at}. */
    void refused(Connection c, String person, String sender, Instant at) throws SQLException;

    /** What is recorded of one window: the person's last message and WhatsApp's last refusal, each maybe absent. */
    record WindowTimes(Optional<Instant> lastInbound, Optional<Instant> refused) {}

    /** The recorded times; empty when nothing was recorded. */
    Optional<WindowTimes> window(Connection c, String person, String sender) throws SQLException;

    // ---- retention

    /** Deletes expired values, closed questions, message SIDs and windows not changed since {@code before}. */
    int purge(Connection c, Instant before) throws SQLException;
}
