package org.twiliochannels.core.spi;

import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.whatsapp.SessionWindows;

/**
 * What is specific to one channel, for one configuration: which recipients it accepts and how they
 * are written on the wire, who sends, and how it reacts to a rejection. Immutable and thread-safe;
 * every method is called before any request and must not do I/O.
 */
public interface ChannelPolicy {

    /**
     * The recipient as Twilio must receive it (e.g. {@code whatsapp:+14155551234}).
     *
     * @throws org.twiliochannels.core.InvalidMessageException naming the field {@code to} and the fix,
     *         when this channel cannot send to the message's recipient
     */
    Address recipient(Message message);

    /**
     * Who sends {@code message}: a fixed address, or a Messaging Service that picks the sender.
     *
     * @throws org.twiliochannels.core.InvalidMessageException when this message cannot be sent from the configured sender
     */
    Sender sender(Message message);

    /**
     * A message to send once in place of {@code message} after Twilio rejected it (WhatsApp sends
     * its fallback template after 63016). The default sends nothing else.
     */
    default Optional<Message> replacementAfter(Message message, TwilioRejectedException rejection) {
        return Optional.empty();
    }

    /**
     * The message to send in place of {@code message} before any request, from what
     * {@code windows} knows (WhatsApp sends its fallback template when the 24-hour window is known
     * to be closed). Must be fast and must not throw. The default sends {@code message} as given.
     *
     * @param to      the recipient as {@link #recipient} gave it
     * @param sender  who sends, as {@link #sender} gave it
     * @param windows the account's WhatsApp windows ({@link SessionWindows#none()} unless configured)
     */
    default Optional<Message> replacementBefore(Message message, Address to, Sender sender, SessionWindows windows) {
        return Optional.empty();
    }

    /** The sender for {@code toString} and listings, e.g. {@code "from +14155550100"}; never a secret. */
    String describe();
}
