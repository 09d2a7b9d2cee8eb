package org.twiliochannels.core.webhook;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.consent.OptOutKeywords;

/**
 * A message someone sent to one of your numbers or WhatsApp senders.
 *
 * @param messageSid the SID of the inbound message
 * @param from       the sender, {@code +1…} or {@code whatsapp:+1…}
 * @param to         your number or sender
 * @param body       the text (empty when only media came)
 * @param media      attached media, in order
 * @param parameters every parameter as received
 */
public record InboundMessage(String messageSid, String from, String to, String body, List<Media> media,
                             Map<String, String> parameters) implements TwilioWebhook {

    /** Keywords Twilio acts on for SMS by default. */
    public enum Keyword {
        /**
         * STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT: the sender opted out; Twilio
         * blocks further messages (21610).
         */
        STOP,
        /** START, YES, UNSTOP: the sender opted back in. */
        START,
        /** HELP, INFO: the sender asks for help. */
        HELP
    }

    /**
     * One attached media item.
     *
     * @param url         where Twilio serves it (needs your credentials unless media auth is off)
     * @param contentType its MIME type, e.g. {@code image/jpeg}
     */
    public record Media(URI url, String contentType) {
        /** Validates. */
        public Media {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** Validates and copies. */
    public InboundMessage {
        Objects.requireNonNull(messageSid, "messageSid");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        media = List.copyOf(media);
        parameters = Map.copyOf(parameters);
    }

    /** {@code "whatsapp"} when it came over WhatsApp, else {@code "sms"}. */
    public String channel() {
        return from.startsWith("whatsapp:") ? "whatsapp" : "sms";
    }

    /** The WhatsApp profile name of the sender. */
    public Optional<String> profileName() {
        return Optional.ofNullable(parameters.get("ProfileName"));
    }

    /** The sender's WhatsApp id (their number without +). */
    public Optional<String> waId() {
        return Optional.ofNullable(parameters.get("WaId"));
    }

    /** The sender's country, as Twilio guessed it from the number (SMS). */
    public Optional<String> fromCountry() {
        return Optional.ofNullable(parameters.get("FromCountry"));
    }

    /**
     * The opt-out keyword this message is, if any: Twilio's {@code OptOutType} when present, else the
     * whole body matched against Twilio's default keywords (ASCII letter case and surrounding white
     * space ignored), as {@link OptOutKeywords#classify(InboundMessage)} defines it.
     */
    public Optional<Keyword> keyword() {
        return OptOutKeywords.classify(this);
    }

    /**
     * Twilio's {@code OptOutType} parameter as sent ({@code STOP}, {@code START} or {@code HELP}):
     * present only for a number in a Messaging Service with Advanced Opt-Out enabled.
     */
    public Optional<String> optOutType() {
        return Optional.ofNullable(parameters.get("OptOutType"));
    }

    @Override
    public String deduplicationKey() {
        return messageSid;
    }

    /** Never shows the body or the numbers in full. */
    @Override
    public String toString() {
        return "InboundMessage[" + messageSid + ", channel=" + channel() + ", body=" + body.length() + " chars, media="
                + media.size() + "]";
    }
}
