package org.twiliochannels.outbox;

import org.twiliochannels.core.inbound.InboundReply;

/**
 * What to do when a question gets one of its answers. Runs in the transaction that closes the
 * question: what it sends ({@link QuestionEvent#send}), asks and stores is committed with the answer,
 * or not at all when it throws (the router then logs it and answers Twilio with an empty response).
 */
@FunctionalInterface
public interface AnswerAction {

    /** Handles the answer; returns the TwiML reply ({@link InboundReply#none()} for none). */
    InboundReply answered(QuestionEvent answer) throws Exception;
}
