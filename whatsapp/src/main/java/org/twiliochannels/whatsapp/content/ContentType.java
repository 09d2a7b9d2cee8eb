package org.twiliochannels.whatsapp.content;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.PhoneNumber;

/**
 * One content type a {@link ContentTemplate} offers, as Twilio's Content API names it
 * ({@code twilio/text}, {@code twilio/quick-reply} …). Each is checked against the limits of WhatsApp
 * and Twilio when created; a violation throws {@link InvalidTemplateException} naming the field (its
 * path in the Content API's JSON), the limit and its owner. Text fields may hold numbered placeholders
 * {@code {{1}}, {{2}} …} whose examples the template declares.
 *
 * <p>Sources: Twilio's pages for each type under {@code https://www.twilio.com/docs/content/}
 * ({@code twilio-text}, {@code twilio-media}, {@code twilio-quick-reply}, {@code twiliolist-picker},
 * {@code twilio-call-to-action}, {@code twiliocard}, {@code whatsappauthentication}) and Meta's limits
 * for WhatsApp buttons; docs/templates.md lists every limit with its source.
 */
public sealed interface ContentType permits ContentType.Text, ContentType.Media, ContentType.QuickReply,
        ContentType.ListPicker, ContentType.CallToAction, ContentType.Card, ContentType.WhatsAppAuthentication {

    /** The type's key in the Content API's {@code types} object, e.g. {@code twilio/quick-reply}. */
    String id();

    /** The key {@code types.<id>} that prefixes this type's fields in error messages. */
    private static String at(String id) {
        return "types." + id;
    }

    /**
     * {@code twilio/text}: plain text.
     *
     * @param body the text, at most 1,600 characters
     */
    record Text(String body) implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/text";

        /** Checks the body. */
        public Text {
            Limits.text(at(ID) + ".body", body, Limits.TEXT_BODY);
            Placeholders.in(at(ID) + ".body", body);
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * {@code twilio/media}: one or more files by public URL, with an optional caption. A URL with a
     * placeholder has it at its end, and the URL with the example filled in ends with the file's type
     * (e.g. {@code .jpg}).
     *
     * @param body  the caption, if any, at most 1,024 characters
     * @param media 1 to 10 public http(s) URLs
     */
    record Media(Optional<String> body, List<String> media) implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/media";

        /** Checks the caption and the URLs. */
        public Media {
            Objects.requireNonNull(body, "body");
            body.ifPresent(b -> {
                Limits.text(at(ID) + ".body", b, Limits.BODY);
                Placeholders.in(at(ID) + ".body", b);
            });
            media = Limits.count(at(ID) + ".media", media, Limits.MEDIA);
            for (int i = 0; i < media.size(); i++) {
                Placeholders.url(at(ID) + ".media[" + i + "]", media.get(i));
            }
        }

        /** Media without a caption. */
        public static Media of(String... urls) {
            return new Media(Optional.empty(), Arrays.asList(urls));
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * A quick-reply button: the recipient taps it and the application receives its {@code id}.
     *
     * @param id    the payload the application receives, at most 256 characters
     * @param title the text on the button, at most 20 characters
     */
    record Button(String id, String title) {
        /** Requires both fields; the quick reply or card that holds the button checks their limits. */
        public Button {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
        }

        void check(String at) {
            Limits.text(at + ".id", id, Limits.BUTTON_ID);
            Limits.text(at + ".title", title, Limits.BUTTON_TITLE);
        }

        /** A button with the payload {@code id} and the text {@code title}. */
        public static Button of(String id, String title) {
            return new Button(id, title);
        }
    }

    /**
     * {@code twilio/quick-reply}: a body and 1 to 10 buttons (WhatsApp shows only 3 in a session
     * message that was not approved).
     *
     * @param body    the text above the buttons, at most 1,024 characters
     * @param buttons 1 to 10 buttons with distinct ids
     */
    record QuickReply(String body, List<Button> buttons) implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/quick-reply";

        /** Checks the body, the number of buttons and that their ids differ. */
        public QuickReply {
            Limits.text(at(ID) + ".body", body, Limits.BODY);
            Placeholders.in(at(ID) + ".body", body);
            buttons = Limits.count(at(ID) + ".actions", buttons, Limits.QUICK_REPLIES);
            for (int i = 0; i < buttons.size(); i++) {
                buttons.get(i).check(at(ID) + ".actions[" + i + "]");
            }
            distinct(at(ID) + ".actions", buttons.stream().map(Button::id).toList());
        }

        /** A quick reply with these buttons. */
        public static QuickReply of(String body, Button... buttons) {
            return new QuickReply(body, Arrays.asList(buttons));
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * An item of a list picker.
     *
     * @param id          the payload the application receives, at most 200 characters
     * @param title       the item's text ({@code item} in the Content API), at most 24 characters
     * @param description a line under it, if any, at most 72 characters
     */
    record ListItem(String id, String title, Optional<String> description) {
        /** Requires the fields; the list picker checks their limits. */
        public ListItem {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(description, "description");
        }

        void check(String at) {
            Limits.text(at + ".id", id, Limits.ITEM_ID);
            Limits.text(at + ".item", title, Limits.ITEM_TITLE);
            description.ifPresent(d -> Limits.text(at + ".description", d, Limits.ITEM_DESCRIPTION));
        }

        /** An item with a description. */
        public static ListItem of(String id, String title, String description) {
            return new ListItem(id, title, Optional.of(description));
        }
    }

    /**
     * {@code twilio/list-picker}: a menu of 1 to 10 items behind a button. Only in a session: WhatsApp
     * does not approve list pickers.
     *
     * @param body   the text, at most 1,024 characters
     * @param button the text of the button that opens the list, at most 20 characters
     * @param items  1 to 10 items with distinct ids
     */
    record ListPicker(String body, String button, List<ListItem> items) implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/list-picker";

        /** Checks the fields, the number of items and that their ids differ. */
        public ListPicker {
            Limits.text(at(ID) + ".body", body, Limits.BODY);
            Placeholders.in(at(ID) + ".body", body);
            Limits.text(at(ID) + ".button", button, Limits.LIST_BUTTON);
            items = Limits.count(at(ID) + ".items", items, Limits.LIST_ITEMS);
            for (int i = 0; i < items.size(); i++) {
                items.get(i).check(at(ID) + ".items[" + i + "]");
            }
            distinct(at(ID) + ".items", items.stream().map(ListItem::id).toList());
        }

        /** A list picker with these items. */
        public static ListPicker of(String body, String button, ListItem... items) {
            return new ListPicker(body, button, Arrays.asList(items));
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * A button of a call to action or a card.
     *
     * @param kind  what tapping it does
     * @param title the text on the button: at most 25 characters, 20 for a quick reply
     * @param value the URL ({@link Kind#URL}), the E.164 number ({@link Kind#PHONE_NUMBER}) or the payload
     *              id ({@link Kind#QUICK_REPLY})
     */
    record Action(Kind kind, String title, String value) {
        /** What a button does, by its Content API {@code type}. */
        public enum Kind {
            /** Opens {@code url}. */
            URL,
            /** Calls {@code phone}. */
            PHONE_NUMBER,
            /** Answers with {@code id} (cards only). */
            QUICK_REPLY
        }

        /** Requires the fields; the call to action or card that holds the button checks them. */
        public Action {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(value, "value");
        }

        /** The Content API's name of {@link #value()} for this kind. */
        String valueField() {
            return switch (kind) {
                case URL -> "url";
                case PHONE_NUMBER -> "phone";
                case QUICK_REPLY -> "id";
            };
        }

        void check(String at) {
            if (kind == Kind.QUICK_REPLY) {
                Limits.text(at + ".title", title, Limits.BUTTON_TITLE);
                Limits.text(at + ".id", value, Limits.BUTTON_ID);
            } else {
                Placeholders.none(at + ".title", Limits.text(at + ".title", title, Limits.ACTION_TITLE));
            }
            if (kind == Kind.URL) {
                Placeholders.url(at + ".url", value);
            }
            if (kind == Kind.PHONE_NUMBER) {
                try {
                    PhoneNumber.of(value);
                } catch (IllegalArgumentException e) {
                    throw new InvalidTemplateException(at + ".phone", e.getMessage());
                }
            }
        }

        /** A button that opens {@code url} (a placeholder may end it). */
        public static Action url(String title, String url) {
            return new Action(Kind.URL, title, url);
        }

        /** A button that calls {@code e164}. */
        public static Action phone(String title, String e164) {
            return new Action(Kind.PHONE_NUMBER, title, e164);
        }

        /** A card's quick-reply button answering {@code id}. */
        public static Action quickReply(String id, String title) {
            return new Action(Kind.QUICK_REPLY, title, id);
        }
    }

    /**
     * {@code twilio/call-to-action}: a body and buttons that open a URL (up to 2) or call a number
     * (at most 1).
     *
     * @param body    the text, at most 640 characters
     * @param actions 1 to 3 buttons: up to 2 {@link Action.Kind#URL}, at most 1 {@link Action.Kind#PHONE_NUMBER}
     */
    record CallToAction(String body, List<Action> actions) implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/call-to-action";

        /** Checks the body and the buttons. */
        public CallToAction {
            Limits.text(at(ID) + ".body", body, Limits.CALL_TO_ACTION_BODY);
            Placeholders.in(at(ID) + ".body", body);
            actions = Limits.count(at(ID) + ".actions", actions, Limits.CALL_TO_ACTION_BUTTONS);
            checkActions(at(ID) + ".actions", actions, false);
        }

        /** A call to action with these buttons. */
        public static CallToAction of(String body, Action... actions) {
            return new CallToAction(body, Arrays.asList(actions));
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * {@code twilio/card}: a title and at least one of subtitle, media and buttons. On WhatsApp the title
     * is the body, the subtitle the footer and the media the header.
     *
     * @param title    at most 1,024 characters
     * @param subtitle at most 60 characters, if any
     * @param media    at most 1 public URL
     * @param actions  up to 10 buttons: up to 2 URL, at most 1 phone, the rest quick replies
     */
    record Card(String title, Optional<String> subtitle, List<String> media, List<Action> actions)
            implements ContentType {
        /** The key of this type. */
        public static final String ID = "twilio/card";

        /** Checks the fields. */
        public Card {
            Limits.text(at(ID) + ".title", title, Limits.CARD_TITLE);
            Placeholders.in(at(ID) + ".title", title);
            Objects.requireNonNull(subtitle, "subtitle").ifPresent(s -> {
                Limits.text(at(ID) + ".subtitle", s, Limits.CARD_SUBTITLE);
                Placeholders.in(at(ID) + ".subtitle", s);
            });
            media = List.copyOf(Objects.requireNonNull(media, "media"));
            Limits.atMost(at(ID) + ".media", media.size(), Limits.CARD_MEDIA);
            for (int i = 0; i < media.size(); i++) {
                Placeholders.url(at(ID) + ".media[" + i + "]", media.get(i));
            }
            actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
            Limits.atMost(at(ID) + ".actions", actions.size(), Limits.CARD_BUTTONS);
            checkActions(at(ID) + ".actions", actions, true);
            if (subtitle.isEmpty() && media.isEmpty() && actions.isEmpty()) {
                throw new InvalidTemplateException(at(ID), "has only a title; Twilio needs a title and at least one"
                        + " more field. Add a subtitle, media or buttons.");
            }
        }

        @Override
        public String id() {
            return ID;
        }
    }

    /**
     * {@code whatsapp/authentication}: WhatsApp's preset one-time-code message ("{code} is your
     * verification code") with a copy-code button. A send gives the code as variable {@code 1}.
     *
     * @param addSecurityRecommendation adds "For your security, do not share this code" (Twilio's default: true)
     * @param codeExpirationMinutes     adds "This code expires in N minutes", 1 to 90, if set
     * @param copyCodeText              the text of the copy-code button
     */
    record WhatsAppAuthentication(boolean addSecurityRecommendation, OptionalInt codeExpirationMinutes,
            String copyCodeText) implements ContentType {
        /** The key of this type. */
        public static final String ID = "whatsapp/authentication";

        /** Checks the expiry and the button text. */
        public WhatsAppAuthentication {
            Objects.requireNonNull(codeExpirationMinutes, "codeExpirationMinutes").ifPresent(m -> {
                if (m < 1 || m > Limits.CODE_EXPIRATION_MAX) {
                    throw new InvalidTemplateException(at(ID) + ".code_expiration_minutes", "is " + m
                            + "; Twilio allows whole minutes from 1 to " + Limits.CODE_EXPIRATION_MAX + ".");
                }
            });
            Placeholders.none(at(ID) + ".actions[0].copy_code_text",
                    Limits.text(at(ID) + ".actions[0].copy_code_text", copyCodeText, Limits.ACTION_TITLE));
        }

        @Override
        public String id() {
            return ID;
        }
    }

    private static void distinct(String field, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            if (ids.indexOf(ids.get(i)) != i) {
                throw new InvalidTemplateException(field + "[" + i + "].id", "\"" + ids.get(i) + "\" is also the id of "
                        + field + "[" + ids.indexOf(ids.get(i)) + "]; give every entry its own id.");
            }
        }
    }

    private static void checkActions(String field, List<Action> actions, boolean quickRepliesAllowed) {
        int urls = 0;
        int phones = 0;
        for (int i = 0; i < actions.size(); i++) {
            Action a = Objects.requireNonNull(actions.get(i), field + "[" + i + "]");
            a.check(field + "[" + i + "]");
            if (a.kind() == Action.Kind.QUICK_REPLY && !quickRepliesAllowed) {
                throw new InvalidTemplateException(field + "[" + i + "].type", "is QUICK_REPLY; a call to action takes"
                        + " URL and PHONE_NUMBER buttons. Use a twilio/quick-reply or a twilio/card for quick replies.");
            }
            urls += a.kind() == Action.Kind.URL ? 1 : 0;
            phones += a.kind() == Action.Kind.PHONE_NUMBER ? 1 : 0;
        }
        Limits.atMost(field, urls, Limits.URL_BUTTONS);
        Limits.atMost(field, phones, Limits.PHONE_BUTTONS);
    }
}
