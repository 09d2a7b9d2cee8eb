package org.twiliochannels.whatsapp.internal;

import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.AbstractChannelProvider;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.whatsapp.SessionWindows;

/** The whatsapp channel's rules, registered with {@link java.util.ServiceLoader}. Not API: use {@code org.twiliochannels.whatsapp.WhatsAppChannel}. */
public final class WhatsAppChannelProvider extends AbstractChannelProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public WhatsAppChannelProvider() {
        super("whatsapp", "WhatsApp messages from a Twilio WhatsApp sender", SPI_VERSION);
    }

    @Override
    public ChannelPolicy policy(TwilioConfig config) {
        WhatsAppAddress from = config.whatsAppFrom().orElseThrow(() -> new ChannelConfigurationException(
                "The whatsapp channel needs a sender: set TWILIO_WHATSAPP_FROM to whatsapp: followed by your"
                        + " WhatsApp sender's E.164 number, e.g. whatsapp:+14155238886 for Twilio's sandbox (Twilio"
                        + " Console > Messaging > Try it out > Send a WhatsApp message); in code, call"
                        + " whatsAppFrom(...) on TwilioConfig.Builder."));
        return new WhatsAppPolicy(from, config.messagingServiceSid());
    }

    /**
     * WhatsApp: recipients get the {@code whatsapp:} prefix; scheduled messages go through the
     * Messaging Service (which must hold the WhatsApp sender); a free-form text refused because the
     * 24-hour window is closed (63016) is replaced once by the message's fallback template, and so is
     * one whose window the account's {@link SessionWindows} knows to be closed, before any request.
     */
    private record WhatsAppPolicy(WhatsAppAddress from, Optional<MessagingServiceSid> service) implements ChannelPolicy {
        @Override
        public Address recipient(Message message) {
            WhatsAppAddress to;
            if (message.to() instanceof WhatsAppAddress w) {
                to = w;
            } else if (message.to() instanceof PhoneNumber p) {
                to = WhatsAppAddress.of(p);
            } else {
                throw new InvalidMessageException("to", "\"" + message.to().masked() + "\" is not a WhatsApp address;"
                        + " the whatsapp channel sends to whatsapp:+14155551234 or +14155551234.");
            }
            return to;
        }

        @Override
        public Sender sender(Message message) {
            if (message.sendAt().isPresent() && service.isPresent()) {
                return Sender.messagingService(service.get());
            }
            return Sender.address(from);
        }

        @Override
        public Optional<Message> replacementBefore(Message message, Address to, Sender sender, SessionWindows windows) {
            if (message.fallbackTemplate().isEmpty() || !(to instanceof WhatsAppAddress person)
                    || !(sender.address().orElse(null) instanceof WhatsAppAddress own)) {
                return Optional.empty();
            }
            return windows.window(person, own).isClosed() ? message.asFallbackTemplate() : Optional.empty();
        }

        @Override
        public Optional<Message> replacementAfter(Message message, TwilioRejectedException rejection) {
            return rejection instanceof OutsideSessionWindowException ? message.asFallbackTemplate() : Optional.empty();
        }

        @Override
        public String describe() {
            return "from " + from.value() + (from.isSandbox() ? " (sandbox)" : "");
        }
    }
}
