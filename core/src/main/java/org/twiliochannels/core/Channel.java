package org.twiliochannels.core;

import java.util.concurrent.CompletableFuture;

/**
 * A way of sending messages through Twilio: SMS or WhatsApp. Open one with {@link Channels#open}
 * or the channel module's own factory; it owns its HTTP client, so share it and close it when the
 * application stops. Thread-safe.
 *
 * <p>Every send ends in exactly one outcome: a {@link Receipt} (Twilio accepted the message), an
 * exception whose {@link TwilioChannelsException#mayHaveBeenSent()} is false (not sent), or a
 * {@link DeliveryUnknownException} (may have been sent).
 */
public interface Channel extends AutoCloseable {

    /** The channel's id, e.g. {@code "sms"} or {@code "whatsapp"}. */
    String id();

    /**
     * Sends one message and waits for Twilio's answer, retrying as the {@link RetryPolicy} allows.
     *
     * @return Twilio's receipt
     * @throws InvalidMessageException     the message failed a check; nothing was sent
     * @throws TwilioRejectedException     Twilio answered with an error; not sent
     * @throws TwilioUnreachableException  Twilio could not be reached; not sent
     * @throws DeliveryUnknownException    the message may have been sent
     */
    Receipt send(Message message);

    /**
     * Sends on the channel's executor; the future completes with the receipt or with one of the
     * exceptions of {@link #send(Message)}. A message that fails a check gives a future that has
     * already failed with {@link InvalidMessageException}.
     */
    CompletableFuture<Receipt> sendAsync(Message message);

    /**
     * Looks a message up at Twilio.
     *
     * @throws TwilioRejectedException    Twilio answered with an error (20404 for an unknown SID)
     * @throws TwilioUnreachableException Twilio could not be reached
     */
    MessageState fetch(MessageSid sid);

    /**
     * Cancels a scheduled message that Twilio has not sent yet.
     *
     * @return the message's state after the cancellation ({@code canceled})
     * @throws TwilioRejectedException when Twilio refuses, e.g. the message is not scheduled or already sent
     */
    MessageState cancel(MessageSid sid);

    /** Releases threads and connections; sends in progress complete first. */
    @Override
    void close();
}
