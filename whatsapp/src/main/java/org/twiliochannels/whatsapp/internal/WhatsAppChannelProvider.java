package org.twiliochannels.whatsapp.internal;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.whatsapp.WhatsAppChannel;

/** Registers the whatsapp channel with {@link java.util.ServiceLoader}. Not API: use {@link WhatsAppChannel}. */
public final class WhatsAppChannelProvider implements ChannelProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public WhatsAppChannelProvider() {}

    @Override
    public String id() {
        return WhatsAppChannel.ID;
    }

    @Override
    public String description() {
        return "WhatsApp messages from a Twilio WhatsApp sender";
    }

    @Override
    public Channel open(TwilioConfig config) {
        return WhatsAppChannel.open(config);
    }
}
