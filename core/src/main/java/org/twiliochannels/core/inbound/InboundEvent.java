package org.twiliochannels.core.inbound;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.MatchResult;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * An inbound message as an {@link InboundRouter} hands it to a handler: the message, which rule
 * chose the handler, and the typed answers of WhatsApp's interactive messages (the pressed
 * button, the chosen list item, a shared location). {@link #toString()} never shows the body.
 *
 * @param message       the verified message
 * @param route         the rule that chose the handler
 * @param matched       what matched: the button payload or list item id ({@link Route#BUTTON}),
 *                      the keyword normalized ({@link Route#KEYWORD}), the pattern's text
 *                      ({@link Route#PATTERN}); empty for {@link Route#QUESTION},
 *                      {@link Route#FALLBACK} and {@link Route#OPT_OUT}
 * @param language      the language the matched keyword was given in ({@link Keywords#in})
 * @param patternMatch  the match of {@link Route#PATTERN}, for its groups
 * @param consentChange the consent change the message made: an opt-out ({@link Route#OPT_OUT}) or
 *                      an opt-in keyword ({@code START}, {@code YES}, {@code UNSTOP}) recorded
 *                      in the consent ledger before any handler ran
 */
public record InboundEvent(InboundMessage message, Route route, String matched, Optional<Locale> language,
                           Optional<MatchResult> patternMatch, Optional<ConsentChange> consentChange) {

    /** The rule of an {@link InboundRouter} that chose the handler, in the order they are tried. */
    public enum Route {
        /** An opt-out keyword: recorded in the consent ledger; only {@code afterOptOut} is told. */
        OPT_OUT,
        /** A WhatsApp button's payload or a list item's id with a handler of its own. */
        BUTTON,
        /** The conversation's open question, from {@link OpenQuestions}. */
        QUESTION,
        /** A keyword. */
        KEYWORD,
        /** A pattern. */
        PATTERN,
        /** None of the above: the fallback. */
        FALLBACK
    }

    /**
     * A pressed WhatsApp quick-reply button: Twilio's {@code ButtonPayload} and {@code ButtonText}.
     *
     * @param payload the button's id, as the template or content defined it
     * @param text    the button's text as shown to the person (empty when Twilio sent none)
     */
    public record Button(String payload, String text) {
        /** Validates. */
        public Button {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(text, "text");
        }

        /** The button a message is the answer of, when it carries a non-empty {@code ButtonPayload}. */
        public static Optional<Button> of(InboundMessage message) {
            String payload = message.parameters().get("ButtonPayload");
            return payload == null || payload.isEmpty() ? Optional.empty()
                    : Optional.of(new Button(payload, message.parameters().getOrDefault("ButtonText", "")));
        }
    }

    /**
     * A chosen item of a WhatsApp list picker: Twilio's {@code ListId} and {@code ListTitle}.
     *
     * @param id    the item's id, as the content defined it (never shown to the person)
     * @param title the item's text as shown (empty when Twilio sent none)
     */
    public record ListItem(String id, String title) {
        /** Validates. */
        public ListItem {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
        }

        /** The list item a message chose, when it carries a non-empty {@code ListId}. */
        public static Optional<ListItem> of(InboundMessage message) {
            String id = message.parameters().get("ListId");
            return id == null || id.isEmpty() ? Optional.empty()
                    : Optional.of(new ListItem(id, message.parameters().getOrDefault("ListTitle", "")));
        }
    }

    /**
     * A location shared on WhatsApp: Twilio's {@code Latitude} and {@code Longitude}, with
     * {@code Address} and {@code Label} when the person shared a place. {@link #toString()} shows
     * neither coordinates nor address (they are personal data).
     *
     * @param latitude  degrees, -90 to 90
     * @param longitude degrees, -180 to 180
     * @param address   the place's address, when one was shared
     * @param label     the place's name, when one was shared
     */
    public record Location(double latitude, double longitude, Optional<String> address, Optional<String> label) {
        /** Validates. */
        public Location {
            if (!(latitude >= -90 && latitude <= 90)) {
                throw new IllegalArgumentException("latitude must be within -90 and 90 degrees");
            }
            if (!(longitude >= -180 && longitude <= 180)) {
                throw new IllegalArgumentException("longitude must be within -180 and 180 degrees");
            }
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(label, "label");
        }

        /**
         * The location a message shares: present when both {@code Latitude} and {@code Longitude}
         * are decimal degrees within range; empty otherwise (no location, or values not in that form).
         */
        public static Optional<Location> of(InboundMessage message) {
            String lat = message.parameters().get("Latitude");
            String lon = message.parameters().get("Longitude");
            if (lat == null || lon == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Location(Double.parseDouble(lat), Double.parseDouble(lon),
                        text(message, "Address"), text(message, "Label")));
            } catch (IllegalArgumentException e) { // NumberFormatException included
                return Optional.empty();
            }
        }

        private static Optional<String> text(InboundMessage message, String name) {
            return Optional.ofNullable(message.parameters().get(name)).filter(s -> !s.isEmpty());
        }

        /** Never shows the place. */
        @Override
        public String toString() {
            return "Location[hidden]";
        }
    }

    /** Validates. */
    public InboundEvent {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(patternMatch, "patternMatch");
        Objects.requireNonNull(consentChange, "consentChange");
    }

    /** The WhatsApp button this message is the answer of. */
    public Optional<Button> button() {
        return Button.of(message);
    }

    /** The WhatsApp list item this message chose. */
    public Optional<ListItem> listItem() {
        return ListItem.of(message);
    }

    /** The location this message shares. */
    public Optional<Location> location() {
        return Location.of(message);
    }

    /**
     * The SID of our message this one replies to: Twilio's {@code OriginalRepliedMessageSid}, sent
     * on WhatsApp when the person answered a button, a list or quoted a message.
     */
    public Optional<String> repliedTo() {
        return Optional.ofNullable(message.parameters().get("OriginalRepliedMessageSid")).filter(s -> !s.isEmpty());
    }

    /** The message's SID and the route: never the body nor what matched in it. */
    @Override
    public String toString() {
        return "InboundEvent[" + message.messageSid() + ", " + route + "]";
    }
}
