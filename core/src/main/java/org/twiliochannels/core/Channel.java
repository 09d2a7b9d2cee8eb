package org.twiliochannels.core;

import java.util.concurrent.CompletableFuture;

/**
 * A way of sending messages through Twilio (SMS, WhatsApp, or a plug-in's): a light view of a
 * {@link TwilioAccount}, which owns connections, threads and retries. Get one with
 * {@link TwilioAccount#channel(String)}, or open one that owns its own account with
 * {@link Channels#open} or a channel module's {@code open} shortcut. Thread-safe.
 *
 * <p>Every send ends in exactly one outcome: a {@link Receipt} (Twilio accepted the message), an
 * exception whose {@link TwilioChannelsException#mayHaveBeenSent()} is false (not sent), or a
 * {@link DeliveryUnknownException} (may have been sent, and Twilio's message log could not settle
 * it).
 */
public interface Channel extends AutoCloseable {

    /** The channel's id, e.g. {@code "sms"} or {@code "whatsapp"}. */
    String id();

    /**
     * Sends one message and waits for Twilio's answer, retrying as the {@link RetryPolicy} allows
     * and settling a lost answer from Twilio's message log.
     *
     * @return Twilio's receipt
     * @throws InvalidMessageException     the message failed a check; nothing was sent
     * @throws org.twiliochannels.core.consent.RecipientOptedOutException the recipient opted out in the
     *         sender's consent scope (the account's {@link TwilioAccount.Builder#consentLedger ledger}); no request
     * @throws org.twiliochannels.core.schedule.QuietHoursException the account's
     *         {@link TwilioAccount.Builder#quietHours quiet hours} hold the message's category now; no request
     * @throws TwilioRejectedException     Twilio answered with an error; not sent (21610 also records the
     *         recipient as opted out in the ledger)
     * @throws TwilioUnreachableException  Twilio could not be reached; not sent
     * @throws DeliveryUnknownException    the message may have been sent
     * @throws TwilioChannelsException     not sent for another reason (e.g. the client is closed)
     */
    Receipt send(Message message);

    /**
     * As {@link #send(Message)} with per-send options. A channel that is not one of the library's
     * (a test double, say) may ignore them: the default sends with the account's policy.
     */
    default Receipt send(Message message, SendOptions options) {
        return send(message);
    }

    /**
     * Sends on the account's executor; the future completes with the receipt or with one of the
     * exceptions of {@link #send(Message)}. A message that fails a check gives a future that has
     * already failed with {@link InvalidMessageException}. The future always completes, also when
     * the account is closed before or during the send.
     */
    CompletableFuture<Receipt> sendAsync(Message message);

    /**
     * As {@link #sendAsync(Message)} with per-send options. A channel that is not one of the
     * library's may ignore them: the default sends with the account's policy.
     */
    default CompletableFuture<Receipt> sendAsync(Message message, SendOptions options) {
        return sendAsync(message);
    }

    /**
     * Runs the checks a send of {@code message} makes before any request, without sending: the
     * channel's own (recipient, sender) and the account's consent ledger and quiet hours. Bulk runs
     * call it before pacing an item, so that refused recipients cost no sending time. A refusal
     * is told to the account's listeners ({@code sendRefused}, send id 0). A channel that is not
     * one of the library's may check nothing: the default does nothing.
     *
     * @throws org.twiliochannels.core.consent.RecipientOptedOutException the recipient opted out of the sender's messages
     * @throws org.twiliochannels.core.schedule.QuietHoursException        the message's window is closed for the recipient
     * @throws InvalidMessageException                                     the message fails the channel's checks
     */
    default void check(Message message, SendOptions options) {}

    /** The account this channel sends through. */
    TwilioAccount account();

    /** Shorthand for {@code account().fetch(sid)}. */
    default MessageState fetch(MessageSid sid) {
        return account().fetch(sid);
    }

    /** Shorthand for {@code account().cancel(sid)}. */
    default MessageState cancel(MessageSid sid) {
        return account().cancel(sid);
    }

    /**
     * Closes the account when this channel owns it (opened by {@link Channels#open} or a channel
     * module's shortcut): sends in flight finish first, see {@link TwilioAccount#close()}. A view
     * from {@link TwilioAccount#channel(String)} leaves the account open.
     */
    @Override
    void close();
}
