package org.twiliochannels.core.event;

/** What every event of one send carries. */
public sealed interface SendEvent permits SendStarted, AttemptStarted, AnswerReceived, Throttled, RetryScheduled,
        SettleLookup, SendRefused, SendFinished {

    /** Unique per send within one {@link org.twiliochannels.core.TwilioAccount}; the same for all events of a send. */
    long sendId();

    /** The id of the channel that sends, e.g. {@code "sms"}. */
    String channel();
}
