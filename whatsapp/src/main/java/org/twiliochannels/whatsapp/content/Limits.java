package org.twiliochannels.whatsapp.content;

import java.util.List;

/**
 * The limits WhatsApp and Twilio set on Content templates, each with where it is documented. Checks
 * count characters as Unicode code points.
 */
final class Limits {
    /** A limit: at most {@code max} of something, set by {@code owner}. */
    record Limit(int max, String owner, String what) {}

    // twilio/quick-reply and twilio/list-picker: "body … Maximum length: 1,024 characters"
    // (https://www.twilio.com/docs/content/twilio-quick-reply, .../twiliolist-picker); WhatsApp's body text
    // limit of business-initiated templates is the same 1,024.
    static final Limit BODY = new Limit(1024, "WhatsApp", "a message body");
    // twilio/text: a message body of 1,600 characters (the Messages resource's Body, error 21658).
    static final Limit TEXT_BODY = new Limit(1600, "Twilio", "a text body");
    // twilio/call-to-action: "body … Maximum 640 characters" (https://www.twilio.com/docs/content/twilio-call-to-action).
    static final Limit CALL_TO_ACTION_BODY = new Limit(640, "Twilio", "a call-to-action body");
    // twilio/quick-reply: "between 1 and 10 quick-reply buttons"; in session without approval WhatsApp shows 3.
    static final Limit QUICK_REPLIES = new Limit(10, "Twilio", "quick-reply buttons");
    // WhatsApp reply buttons: title at most 20 characters, id at most 256 (Meta's reply button object;
    // Meta's "Button text: 20 characters" for templates).
    static final Limit BUTTON_TITLE = new Limit(20, "WhatsApp", "a quick-reply button title");
    static final Limit BUTTON_ID = new Limit(256, "WhatsApp", "a button id");
    // twilio/list-picker: 1 to 10 items; item 24, id 200, description 72 characters.
    static final Limit LIST_ITEMS = new Limit(10, "Twilio", "list picker items");
    static final Limit LIST_BUTTON = new Limit(20, "WhatsApp", "a list picker's button text");
    static final Limit ITEM_TITLE = new Limit(24, "Twilio", "a list item");
    static final Limit ITEM_ID = new Limit(200, "Twilio", "a list item id");
    static final Limit ITEM_DESCRIPTION = new Limit(72, "Twilio", "a list item description");
    // twilio/call-to-action: "Up to 2 URL buttons", "Only 1 of the 2 call options", URL title "Max 25 chars".
    static final Limit URL_BUTTONS = new Limit(2, "Twilio", "URL buttons");
    static final Limit PHONE_BUTTONS = new Limit(1, "Twilio", "phone buttons");
    static final Limit ACTION_TITLE = new Limit(25, "Twilio", "a call-to-action button title");
    // The two rules above leave room for 3 buttons in all (2 URL and 1 phone).
    static final Limit CALL_TO_ACTION_BUTTONS = new Limit(3, "Twilio", "call-to-action buttons");
    // twilio/card on WhatsApp: the title is the template body (1,024), the subtitle its footer (60),
    // one media header; up to 10 buttons in all (Meta: "up to 10 total, max 2 CTA").
    static final Limit CARD_TITLE = new Limit(1024, "WhatsApp", "a card title");
    static final Limit CARD_SUBTITLE = new Limit(60, "WhatsApp", "a card subtitle (the footer)");
    static final Limit CARD_MEDIA = new Limit(1, "WhatsApp", "media in a card (its header)");
    static final Limit CARD_BUTTONS = new Limit(10, "WhatsApp", "card buttons");
    // Messages carry up to 10 media files (https://www.twilio.com/docs/messaging/api/media-resource).
    static final Limit MEDIA = new Limit(10, "Twilio", "media URLs");
    // whatsapp/authentication: "Only whole numbers from 1–90 are allowed" for code_expiration_minutes.
    static final int CODE_EXPIRATION_MAX = 90;
    // Using Variables with Content Templates: "a maximum of 100 variables", values up to 1,600 characters
    // (error 21658); error 21656: no newline, tab or more than four consecutive spaces in a value.
    static final Limit VARIABLES = new Limit(100, "Twilio", "variables");
    static final Limit VARIABLE_VALUE = new Limit(1600, "Twilio", "a variable value");
    static final int MAX_CONSECUTIVE_SPACES = 4;

    private Limits() {}

    /** {@code value}, checked: not blank and at most {@code limit.max()} characters. */
    static String text(String field, String value, Limit limit) {
        if (value == null || value.isBlank()) {
            throw new InvalidTemplateException(field, "is empty; give " + limit.what() + ".");
        }
        int length = value.codePointCount(0, value.length());
        if (length > limit.max()) {
            throw new InvalidTemplateException(field, "is " + length + " characters, over " + limit.owner()
                    + "'s limit of " + limit.max() + " for " + limit.what() + "; shorten it.");
        }
        return value;
    }

    /** {@code values} as an immutable list, checked: 1 to {@code limit.max()} elements, none null. */
    static <T> List<T> count(String field, List<T> values, Limit limit) {
        if (values == null || values.isEmpty()) {
            throw new InvalidTemplateException(field, "is empty; give at least one of the " + limit.what() + ".");
        }
        List<T> copy = List.copyOf(values);
        atMost(field, copy.size(), limit);
        return copy;
    }

    static void atMost(String field, int count, Limit limit) {
        if (count > limit.max()) {
            throw new InvalidTemplateException(field, "has " + count + " " + limit.what() + ", over " + limit.owner()
                    + "'s limit of " + limit.max() + "; remove " + (count - limit.max()) + ".");
        }
    }

    /**
     * The rule of error 21656 for a variable's value: not empty, at most 1,600 characters, no newline,
     * no tab and no more than four consecutive spaces; empty when it holds, else what is wrong.
     */
    static String variableValueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty; Twilio refuses an empty variable (error 21656). Give a value.";
        }
        int length = value.codePointCount(0, value.length());
        if (length > VARIABLE_VALUE.max()) {
            return "is " + length + " characters, over Twilio's limit of " + VARIABLE_VALUE.max()
                    + " for a variable value (error 21658); shorten it.";
        }
        int spaces = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                return "has a " + (c == '\t' ? "tab" : "line break") + " at index " + i
                        + "; WhatsApp refuses newlines and tabs in a variable (Twilio error 21656). Put line breaks"
                        + " in the template's text instead.";
            }
            spaces = c == ' ' ? spaces + 1 : 0;
            if (spaces > MAX_CONSECUTIVE_SPACES) {
                return "has more than " + MAX_CONSECUTIVE_SPACES + " consecutive spaces at index " + (i - MAX_CONSECUTIVE_SPACES)
                        + "; WhatsApp refuses them in a variable (Twilio error 21656). Collapse the spaces.";
            }
        }
        return "";
    }
}
