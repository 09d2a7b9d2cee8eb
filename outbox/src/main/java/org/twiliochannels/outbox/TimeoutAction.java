package org.twiliochannels.outbox;

/**
 * What to do when a question got no answer in time. Runs once, on whichever instance claims the
 * time-out, in the transaction that closes the question: what it sends, asks and stores is
 * committed with the time-out. When it throws, nothing of it is kept and the time-out is tried
 * again later ({@link Conversations#MAX_TIMEOUT_TRIES} tries in all); effects outside the
 * database (a call to another system) may then repeat, so make them idempotent with
 * {@link QuestionEvent#id()}.
 */
@FunctionalInterface
public interface TimeoutAction {

    /** Handles the time-out. */
    void timedOut(QuestionEvent timeout) throws Exception;
}
