package org.twiliochannels.whatsapp;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.whatsapp.internal.WhatsAppChannelProvider;

/**
 * WhatsApp messages through Twilio, sent from the configured WhatsApp sender
 * ({@code TWILIO_WHATSAPP_FROM}, e.g. Twilio's sandbox {@code whatsapp:+14155238886}). A recipient
 * may be given as {@code +14155551234} or {@code whatsapp:+14155551234}. The channel id is
 * {@value #ID}.
 *
 * <p>When a message has a {@link org.twiliochannels.core.Message.Builder#fallbackTemplate fallback
 * template} and WhatsApp refuses the free-form text because the 24-hour window is closed (63016),
 * the template is sent instead, once; the receipt is then the template message's. Without one the
 * send fails with {@link org.twiliochannels.core.OutsideSessionWindowException}.
 *
 * <pre>{@code
 * try (Channel whatsapp = WhatsAppChannel.open(TwilioEnvironment.load())) {
 *     Receipt r = whatsapp.send(Message.text("+14155551234", "Your order has shipped"));
 * }
 * }</pre>
 */
public final class WhatsAppChannel {
    /** This channel's id for {@link org.twiliochannels.core.TwilioAccount#channel(String)}. */
    public static final String ID = "whatsapp";

    private WhatsAppChannel() {}

    /**
     * Opens the whatsapp channel on an account client of its own (closed with the channel).
     *
     * @throws ChannelConfigurationException when no WhatsApp sender is configured
     */
    public static Channel open(TwilioConfig config) {
        return Channels.open(new WhatsAppChannelProvider(), config);
    }
}
