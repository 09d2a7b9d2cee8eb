package org.twiliochannels.core.event;

/**
 * Observes sends and webhook verifications. Every method has a no-op default, so a listener
 * overrides only what it needs. Methods are called synchronously on the thread doing the work, at
 * the moment their name says: they <b>must be fast and must not throw</b> (an exception is caught,
 * logged at WARN and otherwise ignored; it never changes a send's outcome).
 *
 * <p>The events of one send share a {@link SendEvent#sendId()}: a listener that keeps state per
 * send (a timer, a span) keys it by that id, from {@link #sendStarted} to {@link #sendFinished},
 * which is called exactly once per started send.
 */
public interface TwilioEventListener {

    /** A send began: nothing has been requested yet. */
    default void sendStarted(SendStarted event) {}

    /** An HTTP attempt of a send is about to start. */
    default void attemptStarted(AttemptStarted event) {}

    /** An attempt got an HTTP answer from Twilio (success or error). */
    default void answerReceived(AnswerReceived event) {}

    /** Twilio answered 429 (or error 20429): the account or sender is over its rate. */
    default void throttled(Throttled event) {}

    /** Another attempt will be made after a delay. */
    default void retryScheduled(RetryScheduled event) {}

    /** Twilio's message log was read to settle an ambiguous attempt. */
    default void settleLookup(SettleLookup event) {}

    /**
     * A message was refused before any request (recipient opted out, quiet hours): within a send
     * just before its {@link #sendFinished}, or alone (send id 0) when a bulk run checked an item.
     */
    default void sendRefused(SendRefused event) {}

    /** The send ended, with exactly one outcome. */
    default void sendFinished(SendFinished event) {}

    /** A webhook request was verified, or rejected. */
    default void webhookVerified(WebhookVerified event) {}

    /** A listener that does nothing. */
    static TwilioEventListener none() {
        return new TwilioEventListener() {};
    }
}
