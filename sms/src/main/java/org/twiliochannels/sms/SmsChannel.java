package org.twiliochannels.sms;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.sms.internal.SmsChannelProvider;

/**
 * SMS (and MMS) through Twilio Programmable Messaging, sent from the configured number
 * ({@code TWILIO_PHONE_NUMBER}) or Messaging Service ({@code TWILIO_MESSAGING_SERVICE_SID}, which
 * then takes precedence). The channel id is {@value #ID}.
 *
 * <pre>{@code
 * try (Channel sms = SmsChannel.open(TwilioEnvironment.load())) {
 *     Receipt r = sms.send(Message.text("+14155551234", "Your table is ready"));
 * }
 * }</pre>
 */
public final class SmsChannel {
    /** This channel's id for {@link org.twiliochannels.core.TwilioAccount#channel(String)}. */
    public static final String ID = "sms";

    private SmsChannel() {}

    /**
     * Opens the sms channel on an account client of its own (closed with the channel).
     *
     * @throws ChannelConfigurationException when neither a sender number nor a Messaging Service is configured
     */
    public static Channel open(TwilioConfig config) {
        return Channels.open(new SmsChannelProvider(), config);
    }
}
