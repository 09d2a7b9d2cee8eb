package org.twiliochannels.sms.internal;

import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.AbstractChannelProvider;
import org.twiliochannels.core.spi.Sender;

/** The sms channel's rules, registered with {@link java.util.ServiceLoader}. Not API: use {@code org.twiliochannels.sms.SmsChannel}. */
public final class SmsChannelProvider extends AbstractChannelProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public SmsChannelProvider() {
        super("sms", "SMS and MMS from a Twilio number or Messaging Service", SPI_VERSION);
    }

    @Override
    public ChannelPolicy policy(TwilioConfig config) {
        if (config.smsFrom().isEmpty() && config.messagingServiceSid().isEmpty()) {
            throw new ChannelConfigurationException("The sms channel needs a sender: set TWILIO_PHONE_NUMBER to an"
                    + " SMS-capable number of your account in E.164 form, e.g. +14155551234 (Twilio Console > Phone"
                    + " Numbers > Active numbers), or TWILIO_MESSAGING_SERVICE_SID; in code, call smsFrom(...) or"
                    + " messagingServiceSid(...) on TwilioConfig.Builder.");
        }
        Sender sender = config.messagingServiceSid().map(Sender::messagingService)
                .orElseGet(() -> Sender.address(config.smsFrom().orElseThrow()));
        return new SmsPolicy(sender);
    }

    /** SMS: plain E.164 recipients. */
    private record SmsPolicy(Sender sender) implements ChannelPolicy {
        @Override
        public Address recipient(Message message) {
            if (message.to() instanceof WhatsAppAddress w) {
                throw new InvalidMessageException("to", "\"" + w.value() + "\" is a WhatsApp address; send it on the"
                        + " whatsapp channel, or use \"" + w.phoneNumber().value() + "\" to send an SMS.");
            }
            if (!(message.to() instanceof PhoneNumber to)) {
                throw new InvalidMessageException("to", "\"" + message.to().masked() + "\" is not a phone number; the"
                        + " sms channel sends to E.164 numbers such as +14155551234.");
            }
            return to;
        }

        @Override
        public Sender sender(Message message) {
            return sender;
        }

        @Override
        public String describe() {
            return sender.toString();
        }
    }
}
