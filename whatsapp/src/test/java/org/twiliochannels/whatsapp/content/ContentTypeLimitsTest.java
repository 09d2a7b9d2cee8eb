package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.twiliochannels.whatsapp.content.ContentType.Action;
import org.twiliochannels.whatsapp.content.ContentType.Button;
import org.twiliochannels.whatsapp.content.ContentType.ListItem;

/** Each limit of WhatsApp and Twilio, at its edge: the last value allowed passes, the next one fails with the limit named. */
class ContentTypeLimitsTest {
    private static String chars(int n) {
        return "x".repeat(n);
    }

    private static void fails(String message, Executable build) {
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, build);
        assertEquals(message, e.getMessage());
    }

    private static List<Button> buttons(int n) {
        return IntStream.range(0, n).mapToObj(i -> Button.of("b" + i, "Option " + i)).toList();
    }

    private static List<ListItem> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> new ListItem("i" + i, "Item " + i, Optional.empty())).toList();
    }

    @Test
    void textBodyUpTo1600Characters() {
        new ContentType.Text(chars(1600));
        fails("types.twilio/text.body: is 1601 characters, over Twilio's limit of 1600 for a text body; shorten it.",
                () -> new ContentType.Text(chars(1601)));
        fails("types.twilio/text.body: is empty; give a text body.", () -> new ContentType.Text(" "));
    }

    @Test
    void charactersAreCountedAsCodePoints() {
        String emoji = "\uD83D\uDC4D"; // one character, two UTF-16 units
        new ContentType.QuickReply("ok", List.of(Button.of("y", emoji.repeat(20))));
        fails("types.twilio/quick-reply.actions[0].title: is 21 characters, over WhatsApp's limit of 20 for a"
                + " quick-reply button title; shorten it.",
                () -> new ContentType.QuickReply("ok", List.of(Button.of("y", emoji.repeat(21)))));
    }

    @Test
    void quickReplyUpTo10ButtonsOf20Characters() {
        new ContentType.QuickReply(chars(1024), buttons(10));
        fails("types.twilio/quick-reply.actions: has 11 quick-reply buttons, over Twilio's limit of 10; remove 1.",
                () -> new ContentType.QuickReply("Pick one", buttons(11)));
        fails("types.twilio/quick-reply.actions: is empty; give at least one of the quick-reply buttons.",
                () -> new ContentType.QuickReply("Pick one", List.of()));
        fails("types.twilio/quick-reply.body: is 1025 characters, over WhatsApp's limit of 1024 for a message body;"
                + " shorten it.", () -> new ContentType.QuickReply(chars(1025), buttons(1)));
        fails("types.twilio/quick-reply.actions[1].title: is 22 characters, over WhatsApp's limit of 20 for a"
                + " quick-reply button title; shorten it.", () -> ContentType.QuickReply.of("Can you make it?",
                        Button.of("yes", "Yes"), Button.of("later", "Let me check and reply")));
        fails("types.twilio/quick-reply.actions[0].id: is 257 characters, over WhatsApp's limit of 256 for a button id;"
                + " shorten it.", () -> ContentType.QuickReply.of("Can you make it?", Button.of(chars(257), "Yes")));
        fails("types.twilio/quick-reply.actions[1].id: \"yes\" is also the id of types.twilio/quick-reply.actions[0];"
                + " give every entry its own id.", () -> ContentType.QuickReply.of("Can you make it?",
                        Button.of("yes", "Yes"), Button.of("yes", "Sure")));
    }

    @Test
    void listPickerUpTo10ItemsWithTheirLengths() {
        new ContentType.ListPicker("Pick", chars(20), items(10));
        fails("types.twilio/list-picker.items: has 11 list picker items, over Twilio's limit of 10; remove 1.",
                () -> new ContentType.ListPicker("Pick", "Choose", items(11)));
        fails("types.twilio/list-picker.button: is 21 characters, over WhatsApp's limit of 20 for a list picker's"
                + " button text; shorten it.", () -> new ContentType.ListPicker("Pick", chars(21), items(1)));
        ContentType.ListPicker.of("Pick", "Choose", ListItem.of(chars(200), chars(24), chars(72)));
        fails("types.twilio/list-picker.items[0].item: is 25 characters, over Twilio's limit of 24 for a list item;"
                + " shorten it.", () -> ContentType.ListPicker.of("Pick", "Choose", ListItem.of("a", chars(25), "d")));
        fails("types.twilio/list-picker.items[0].description: is 73 characters, over Twilio's limit of 72 for a list"
                + " item description; shorten it.",
                () -> ContentType.ListPicker.of("Pick", "Choose", ListItem.of("a", "A", chars(73))));
        fails("types.twilio/list-picker.items[0].id: is 201 characters, over Twilio's limit of 200 for a list item id;"
                + " shorten it.", () -> ContentType.ListPicker.of("Pick", "Choose", ListItem.of(chars(201), "A", "d")));
    }

    @Test
    void callToActionUpToTwoUrlsAndOnePhone() {
        ContentType.CallToAction.of(chars(640), Action.url(chars(25), "https://example.com/a"),
                Action.url("B", "https://example.com/b"), Action.phone("Call", "+14155550100"));
        fails("types.twilio/call-to-action.body: is 641 characters, over Twilio's limit of 640 for a call-to-action"
                + " body; shorten it.", () -> ContentType.CallToAction.of(chars(641), Action.url("A", "https://example.com")));
        fails("types.twilio/call-to-action.actions: has 3 URL buttons, over Twilio's limit of 2; remove 1.",
                () -> ContentType.CallToAction.of("Go", Action.url("A", "https://example.com/a"),
                        Action.url("B", "https://example.com/b"), Action.url("C", "https://example.com/c")));
        fails("types.twilio/call-to-action.actions: has 2 phone buttons, over Twilio's limit of 1; remove 1.",
                () -> ContentType.CallToAction.of("Go", Action.phone("A", "+14155550100"),
                        Action.phone("B", "+14155550101")));
        fails("types.twilio/call-to-action.actions[0].title: is 26 characters, over Twilio's limit of 25 for a"
                + " call-to-action button title; shorten it.",
                () -> ContentType.CallToAction.of("Go", Action.url(chars(26), "https://example.com")));
        fails("types.twilio/call-to-action.actions[0].title: has a placeholder; Twilio supports no variables here."
                + " Use a fixed text.", () -> ContentType.CallToAction.of("Go", Action.url("Track {{1}}", "https://example.com")));
        fails("types.twilio/call-to-action.actions[0].type: is QUICK_REPLY; a call to action takes URL and PHONE_NUMBER"
                + " buttons. Use a twilio/quick-reply or a twilio/card for quick replies.",
                () -> ContentType.CallToAction.of("Go", Action.quickReply("y", "Yes")));
    }

    @Test
    void urlsArePublicHttpUrlsWithAPlaceholderOnlyAtTheirEnd() {
        fails("types.twilio/call-to-action.actions[0].url: \"https://example.com/{{1}}/track\" has a placeholder that is"
                + " not at its end; Twilio takes one variable, at the end of the URL, e.g. https://example.com/orders/{{1}}.",
                () -> ContentType.CallToAction.of("Go", Action.url("Track", "https://example.com/{{1}}/track")));
        fails("types.twilio/call-to-action.actions[0].url: has no fixed host; a placeholder may only stand in the path,"
                + " e.g. https://example.com/{{1}}.",
                () -> ContentType.CallToAction.of("Go", Action.url("Track", "https://{{1}}")));
        fails("types.twilio/media.media[0]: is not an http(s) URL; WhatsApp needs a publicly hosted https URL.",
                () -> ContentType.Media.of("ftp://example.com/a.pdf"));
        fails("types.twilio/media.media[0]: has user info before the host; WhatsApp fetches the URL without credentials."
                + " Give a public URL without them.", () -> ContentType.Media.of("https://user:pw@example.com/a.pdf"));
        fails("types.twilio/media.media: has 11 media URLs, over Twilio's limit of 10; remove 1.",
                () -> new ContentType.Media(Optional.empty(), Collections.nCopies(11, "https://example.com/a.jpg")));
    }

    @Test
    void phoneButtonsTakeE164Numbers() {
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class,
                () -> ContentType.CallToAction.of("Call", Action.phone("Call us", "0415 555 0100")));
        assertEquals("types.twilio/call-to-action.actions[0].phone", e.field());
    }

    @Test
    void cardNeedsATitleAndOneMoreField() {
        fails("types.twilio/card: has only a title; Twilio needs a title and at least one more field. Add a subtitle,"
                + " media or buttons.", () -> new ContentType.Card("Hello", Optional.empty(), List.of(), List.of()));
        fails("types.twilio/card.subtitle: is 61 characters, over WhatsApp's limit of 60 for a card subtitle (the"
                + " footer); shorten it.", () -> new ContentType.Card("Hello", Optional.of(chars(61)), List.of(), List.of()));
        fails("types.twilio/card.media: has 2 media in a card (its header), over WhatsApp's limit of 1; remove 1.",
                () -> new ContentType.Card("Hello", Optional.empty(),
                        List.of("https://example.com/a.jpg", "https://example.com/b.jpg"), List.of()));
        fails("types.twilio/card.actions: has 11 card buttons, over WhatsApp's limit of 10; remove 1.",
                () -> new ContentType.Card("Hello", Optional.empty(), List.of(), IntStream.range(0, 11)
                        .mapToObj(i -> Action.quickReply("q" + i, "Q" + i)).toList()));
        fails("types.twilio/card.actions[0].title: is 21 characters, over WhatsApp's limit of 20 for a quick-reply"
                + " button title; shorten it.", () -> new ContentType.Card("Hello", Optional.empty(), List.of(),
                        List.of(Action.quickReply("q", chars(21)))));
    }

    @Test
    void authenticationCodesExpireIn1To90Minutes() {
        new ContentType.WhatsAppAuthentication(true, OptionalInt.of(90), "Copy code");
        fails("types.whatsapp/authentication.code_expiration_minutes: is 91; Twilio allows whole minutes from 1 to 90.",
                () -> new ContentType.WhatsAppAuthentication(true, OptionalInt.of(91), "Copy code"));
        fails("types.whatsapp/authentication.code_expiration_minutes: is 0; Twilio allows whole minutes from 1 to 90.",
                () -> new ContentType.WhatsAppAuthentication(true, OptionalInt.of(0), "Copy code"));
        fails("types.whatsapp/authentication.actions[0].copy_code_text: is empty; give a call-to-action button title.",
                () -> new ContentType.WhatsAppAuthentication(false, OptionalInt.empty(), ""));
    }

    @Test
    void placeholdersAreNumberedAndWellFormed() {
        fails("types.twilio/text.body: has the placeholder {{first_name}}; WhatsApp templates take numbered placeholders"
                + " {{1}}, {{2}} … without spaces.", () -> new ContentType.Text("Hi {{first_name}}!"));
        fails("types.twilio/text.body: has the placeholder {{}}; WhatsApp templates take numbered placeholders {{1}},"
                + " {{2}} … without spaces.", () -> new ContentType.Text("Hi {{}}!"));
        fails("types.twilio/text.body: has an unclosed or malformed placeholder; write each as {{1}}, {{2}} … with two"
                + " braces on each side (Twilio error 21656).", () -> new ContentType.Text("Hi {{1}!"));
    }
}
