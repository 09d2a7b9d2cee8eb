package org.twiliochannels.testing.messenger;

import org.twiliochannels.core.Address;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PrefixedAddress;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.AbstractChannelProvider;
import org.twiliochannels.core.spi.Sender;

/**
 * A third channel built outside core against the public API only: Facebook Messenger through
 * Twilio's Messages API, addresses written {@code messenger:<page-scoped id>}, sender from
 * {@code TWILIO_MESSENGER_FROM} ({@code TwilioConfig.Builder.sender("messenger", …)}).
 */
public final class MessengerChannelProvider extends AbstractChannelProvider {
    static final String ID = "messenger";

    /** Called by {@link java.util.ServiceLoader}. */
    public MessengerChannelProvider() {
        super(ID, "Facebook Messenger through Twilio's Messages API", SPI_VERSION);
    }

    @Override
    public ChannelPolicy policy(TwilioConfig config) {
        String raw = config.sender(ID).orElseThrow(() -> new ChannelConfigurationException("The messenger channel"
                + " needs a sender: set TWILIO_MESSENGER_FROM to messenger: followed by your Facebook page id, e.g."
                + " messenger:1234567890; in code, call sender(\"messenger\", ...) on TwilioConfig.Builder."));
        PrefixedAddress from;
        try {
            from = checked(PrefixedAddress.of(raw), "TWILIO_MESSENGER_FROM");
        } catch (IllegalArgumentException e) {
            throw new ChannelConfigurationException("TWILIO_MESSENGER_FROM: " + e.getMessage(), e);
        }
        return new MessengerPolicy(from);
    }

    static PrefixedAddress checked(PrefixedAddress a, String field) {
        if (!a.prefix().equals(ID) || !a.identifier().matches("[0-9]{5,20}")) {
            throw new IllegalArgumentException(field + " \"" + a.masked() + "\" must be messenger: followed by 5 to 20"
                    + " digits, e.g. messenger:1234567890");
        }
        return a;
    }

    /** Messenger: {@code messenger:} recipients only, from the page's address. */
    private record MessengerPolicy(PrefixedAddress from) implements ChannelPolicy {
        @Override
        public Address recipient(Message message) {
            if (message.to() instanceof PrefixedAddress p) {
                try {
                    return checked(p, "to");
                } catch (IllegalArgumentException e) {
                    throw new InvalidMessageException("to", e.getMessage());
                }
            }
            throw new InvalidMessageException("to", "\"" + message.to().masked() + "\" is not a Messenger address;"
                    + " write messenger: followed by the user's page-scoped id, e.g. messenger:1234567890.");
        }

        @Override
        public Sender sender(Message message) {
            return Sender.address(from);
        }

        @Override
        public String describe() {
            return "from " + from.masked();
        }
    }
}
