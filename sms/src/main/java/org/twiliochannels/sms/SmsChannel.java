package org.twiliochannels.sms;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.internal.Creators;
import org.twiliochannels.core.internal.MessagingClient;
import org.twiliochannels.core.internal.RateLimitAware;
import org.twiliochannels.core.internal.MessagingClient.Prepared;

/**
 * SMS (and MMS) through Twilio Programmable Messaging, sent from the configured number
 * ({@code TWILIO_PHONE_NUMBER}) or Messaging Service ({@code TWILIO_MESSAGING_SERVICE_SID}).
 *
 * <pre>{@code
 * try (SmsChannel sms = SmsChannel.open(TwilioEnvironment.load())) {
 *     Receipt r = sms.send(Message.text("+14155551234", "Your table is ready"));
 * }
 * }</pre>
 */
public final class SmsChannel implements Channel, RateLimitAware {
    /** This channel's id for {@link org.twiliochannels.core.Channels#open}. */
    public static final String ID = "sms";

    private final MessagingClient client;
    private final TwilioConfig config;

    private SmsChannel(TwilioConfig config) {
        this.config = config;
        this.client = new MessagingClient(ID, config);
    }

    /**
     * Opens the channel.
     *
     * @throws ChannelConfigurationException when neither a sender number nor a Messaging Service is configured
     */
    public static SmsChannel open(TwilioConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.smsFrom().isEmpty() && config.messagingServiceSid().isEmpty()) {
            throw new ChannelConfigurationException("The sms channel needs a sender: set TWILIO_PHONE_NUMBER to an"
                    + " SMS-capable number of your account in E.164 form, e.g. +14155551234 (Twilio Console > Phone"
                    + " Numbers > Active numbers), or TWILIO_MESSAGING_SERVICE_SID; in code, call smsFrom(...) or"
                    + " messagingServiceSid(...) on TwilioConfig.Builder.");
        }
        return new SmsChannel(config);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Receipt send(Message message) {
        return client.send(() -> prepare(message));
    }

    @Override
    public CompletableFuture<Receipt> sendAsync(Message message) {
        return client.sendAsync(() -> prepare(message));
    }

    @Override
    public MessageState fetch(MessageSid sid) {
        return client.fetch(Objects.requireNonNull(sid, "sid"));
    }

    @Override
    public MessageState cancel(MessageSid sid) {
        return client.cancel(Objects.requireNonNull(sid, "sid"));
    }

    /** Internal: 429 answers seen, for bulk sends. */
    @Override
    public long rateLimitedResponses() {
        return client.rateLimitedResponses();
    }

    @Override
    public void close() {
        client.close();
    }

    private Prepared prepare(Message message) {
        Objects.requireNonNull(message, "message");
        if (message.to() instanceof WhatsAppAddress w) {
            throw new InvalidMessageException("to", "\"" + w.value() + "\" is a WhatsApp address; send it on the"
                    + " whatsapp channel, or use \"" + w.phoneNumber().value() + "\" to send an SMS.");
        }
        PhoneNumber to = (PhoneNumber) message.to();
        if (config.messagingServiceSid().isEmpty() && to.equals(config.smsFrom().orElseThrow())) {
            throw new InvalidMessageException("to", "\"" + to.value() + "\" is the sender's own number"
                    + " (TWILIO_PHONE_NUMBER); Twilio cannot send a message from a number to itself.");
        }
        return new Prepared(to, Creators.create(config.smsFrom().map(PhoneNumber::value), config.messagingServiceSid(),
                to.value(), message, config.statusCallback(), Clock.systemUTC()));
    }

    @Override
    public String toString() {
        return "SmsChannel[from=" + config.messagingServiceSid().map(Object::toString)
                .orElseGet(() -> config.smsFrom().orElseThrow().value()) + "]";
    }
}
