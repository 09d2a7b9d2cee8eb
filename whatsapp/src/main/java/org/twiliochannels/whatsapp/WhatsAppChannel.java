package org.twiliochannels.whatsapp;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.internal.Creators;
import org.twiliochannels.core.internal.MessagingClient;
import org.twiliochannels.core.internal.RateLimitAware;
import org.twiliochannels.core.internal.MessagingClient.Prepared;

/**
 * WhatsApp messages through Twilio, sent from the configured WhatsApp sender
 * ({@code TWILIO_WHATSAPP_FROM}, e.g. Twilio's sandbox {@code whatsapp:+14155238886}). A recipient
 * may be given as {@code +14155551234} or {@code whatsapp:+14155551234}.
 *
 * <pre>{@code
 * try (WhatsAppChannel whatsapp = WhatsAppChannel.open(TwilioEnvironment.load())) {
 *     Receipt r = whatsapp.send(Message.text("+14155551234", "Your order has shipped"));
 * }
 * }</pre>
 */
public final class WhatsAppChannel implements Channel, RateLimitAware {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.twiliochannels");
    /** This channel's id for {@link org.twiliochannels.core.Channels#open}. */
    public static final String ID = "whatsapp";

    private final MessagingClient client;
    private final TwilioConfig config;
    private final WhatsAppAddress from;

    private WhatsAppChannel(TwilioConfig config, WhatsAppAddress from) {
        this.config = config;
        this.from = from;
        this.client = new MessagingClient(ID, config);
    }

    /**
     * Opens the channel.
     *
     * @throws ChannelConfigurationException when no WhatsApp sender is configured
     */
    public static WhatsAppChannel open(TwilioConfig config) {
        Objects.requireNonNull(config, "config");
        WhatsAppAddress from = config.whatsAppFrom().orElseThrow(() -> new ChannelConfigurationException(
                "The whatsapp channel needs a sender: set TWILIO_WHATSAPP_FROM to whatsapp: followed by your"
                        + " WhatsApp sender's E.164 number, e.g. whatsapp:+14155238886 for Twilio's sandbox (Twilio"
                        + " Console > Messaging > Try it out > Send a WhatsApp message); in code, call"
                        + " whatsAppFrom(...) on TwilioConfig.Builder."));
        return new WhatsAppChannel(config, from);
    }

    /** The sender. */
    public WhatsAppAddress from() {
        return from;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the message has a {@link Message.Builder#fallbackTemplate fallback template} and
     * WhatsApp refuses the free-form text because the 24-hour window is closed (63016), the
     * template is sent instead, once; the receipt is then the template message's.
     *
     * @throws OutsideSessionWindowException when the window is closed and there is no fallback template
     */
    @Override
    public Receipt send(Message message) {
        try {
            return client.send(() -> prepare(message));
        } catch (OutsideSessionWindowException e) {
            Message fallback = message.asFallbackTemplate().orElseThrow(() -> e);
            LOG.debug("whatsapp to {}: window closed (63016), sending fallback template {}", message.to().masked(),
                    fallback.template().orElseThrow().sid());
            return client.send(() -> prepare(fallback));
        }
    }

    @Override
    public CompletableFuture<Receipt> sendAsync(Message message) {
        try {
            prepare(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.async(() -> send(message));
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

    private WhatsAppAddress recipient(Message message) {
        Objects.requireNonNull(message, "message");
        WhatsAppAddress to = message.to() instanceof WhatsAppAddress w ? w : WhatsAppAddress.of((PhoneNumber) message.to());
        if (to.equals(from)) {
            throw new InvalidMessageException("to", "\"" + to.value() + "\" is the sender's own address"
                    + " (TWILIO_WHATSAPP_FROM); WhatsApp cannot deliver a message from a number to itself.");
        }
        return to;
    }

    private Prepared prepare(Message message) {
        WhatsAppAddress to = recipient(message);
        // A scheduled message must go through the Messaging Service; anything else from the WhatsApp sender.
        return new Prepared(to, Creators.create(Optional.of(from.value()),
                message.sendAt().isPresent() ? config.messagingServiceSid() : Optional.empty(),
                to.value(), message, config.statusCallback(), Clock.systemUTC()));
    }

    @Override
    public String toString() {
        return "WhatsAppChannel[from=" + from + (from.isSandbox() ? " (sandbox)" : "") + "]";
    }
}
