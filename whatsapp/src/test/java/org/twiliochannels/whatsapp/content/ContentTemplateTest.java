package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ContentTemplateTest {
    private static void fails(String message, Executable build) {
        InvalidTemplateException e = assertThrows(InvalidTemplateException.class, build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void writesTheCreateRequestBody() {
        assertEquals("{\"friendly_name\":\"appointment_confirmation\",\"language\":\"en\","
                + "\"variables\":{\"1\":\"Ada\",\"2\":\"Tuesday 3 pm\"},\"types\":{"
                + "\"twilio/quick-reply\":{\"body\":\"Hi {{1}}, your appointment is on {{2}}. Can you make it?\","
                + "\"actions\":[{\"title\":\"Yes, I'll be there\",\"id\":\"confirm\"},{\"title\":\"Reschedule\",\"id\":\"reschedule\"}]},"
                + "\"twilio/text\":{\"body\":\"Hi {{1}}, your appointment is on {{2}}. Reply YES to confirm.\"}}}",
                Samples.appointmentConfirmation().createRequestJson());
        assertEquals("{\"friendly_name\":\"delivery_update\",\"language\":\"pt_BR\",\"variables\":{\"1\":\"4471\"},"
                + "\"types\":{\"twilio/call-to-action\":{\"body\":\"Your order {{1}} is on its way.\",\"actions\":["
                + "{\"type\":\"URL\",\"title\":\"Track it\",\"url\":\"https://example.com/track/{{1}}\"},"
                + "{\"type\":\"PHONE_NUMBER\",\"title\":\"Call us\",\"phone\":\"+14155550100\"}]}}}",
                Samples.delivery().createRequestJson());
        assertEquals("{\"friendly_name\":\"login_code\",\"language\":\"en\",\"variables\":{},\"types\":{"
                + "\"whatsapp/authentication\":{\"add_security_recommendation\":true,\"code_expiration_minutes\":10,"
                + "\"actions\":[{\"type\":\"COPY_CODE\",\"copy_code_text\":\"Copy code\"}]}}}",
                Samples.oneTimeCode().createRequestJson());
    }

    @Test
    void placeholdersAreTheVariablesASendGives() {
        assertEquals(List.of("1", "2"), Samples.appointmentConfirmation().placeholders());
        assertEquals(List.of(), Samples.menu().placeholders());
        assertEquals(List.of("1"), Samples.oneTimeCode().placeholders(), "the one-time code");
    }

    @Test
    void everyPlaceholderNeedsAnExampleAndEveryExampleAPlaceholder() {
        fails("template \"reminder\" (en): variables.2: is missing; {{2}} in types.twilio/text.body needs an example"
                + " value (WhatsApp approves a template only with samples).",
                () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada").text("Hi {{1}}, see you {{2}}.").build());
        fails("template \"reminder\" (en): variables.3: has no placeholder {{3}} in any content type; remove it or use it.",
                () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada").variable("3", "x")
                        .text("Hi {{1}}, see you.").build());
        fails("template \"reminder\" (en): variables.1: has a line break at index 3; WhatsApp refuses newlines and tabs"
                + " in a variable (Twilio error 21656). Put line breaks in the template's text instead.",
                () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada\nLovelace").text("Hi {{1}}, see you.").build());
    }

    @Test
    void placeholdersAreNumberedConsecutively() {
        fails("template \"reminder\" (en): types.twilio/text.body: uses {{3}} but no {{2}}; number placeholders"
                + " consecutively from {{1}}.", () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada")
                        .variable("3", "Tuesday").text("Hi {{1}}, see you {{3}}.").build());
        fails("template \"reminder\" (en): types.twilio/text.body: uses {{2}} but no {{1}}; number placeholders"
                + " consecutively from {{1}}.", () -> ContentTemplate.builder("reminder", "en").variable("2", "Ada")
                        .text("Hi {{2}}, see you.").build());
    }

    @Test
    void placeholdersAcrossTypesCountTogether() {
        ContentTemplate t = ContentTemplate.builder("reminder", "en").variable("1", "Ada").variable("2", "Tuesday")
                .text("Hi {{1}}, see you.")
                .type(ContentType.QuickReply.of("See you {{2}}, {{1}}?", ContentType.Button.of("y", "Yes")))
                .build();
        assertEquals(List.of("1", "2"), t.placeholders());
    }

    @Test
    void bodiesNeitherStartNorEndWithAPlaceholderNorHaveTwoSideBySide() {
        fails("template \"reminder\" (en): types.twilio/text.body: starts or ends with a placeholder; WhatsApp does not"
                + " approve such a template. Put text before and after it.",
                () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada").text("{{1}}, see you soon.").build());
        fails("template \"reminder\" (en): types.twilio/quick-reply.body: starts or ends with a placeholder; WhatsApp"
                + " does not approve such a template. Put text before and after it.",
                () -> ContentTemplate.builder("reminder", "en").variable("1", "Ada")
                        .type(ContentType.QuickReply.of("See you, {{1}}", ContentType.Button.of("y", "Yes"))).build());
        fails("template \"reminder\" (en): types.twilio/text.body: has two placeholders side by side; WhatsApp does not"
                + " approve such a template. Put text between them.", () -> ContentTemplate.builder("reminder", "en")
                        .variable("1", "Ada").variable("2", "Lovelace").text("Hi {{1}} {{2}}, see you.").build());
        // a list picker is never approved, so the rule does not apply to it
        ContentTemplate.builder("menu", "en").variable("1", "Ada")
                .type(ContentType.ListPicker.of("{{1}}", "Choose", ContentType.ListItem.of("a", "A", "d"))).build();
    }

    @Test
    void aMediaUrlWithAPlaceholderEndsInTheFileTypeWithItsExample() {
        fails("template \"invoice\" (en): types.twilio/media.media[0]: is \"https://example.com/invoices/42\" with its"
                + " example, which does not end in a file type; Twilio needs a media URL whose example ends in the"
                + " file's type, e.g. .jpg or .pdf.", () -> ContentTemplate.builder("invoice", "en")
                        .variable("1", "invoices/42").type(ContentType.Media.of("https://example.com/{{1}}")).build());
        Samples.invoice(); // the example "invoices/2024-0042.pdf" ends in .pdf
    }

    @Test
    void nameLanguageAndTypesAreRequired() {
        fails("template \"\" (en): friendly_name: is empty; give the name the template is found by, e.g."
                + " appointment_confirmation.", () -> ContentTemplate.builder("", "en").text("Hi").build());
        fails("template \"reminder\" (English): language: \"English\" is not a language code; give an ISO 639-1 code"
                + " such as en, or a WhatsApp locale such as pt_BR.",
                () -> ContentTemplate.builder("reminder", "English").text("Hi").build());
        fails("template \"reminder\" (en): types: is empty; give at least one content type, e.g. twilio/text.",
                () -> ContentTemplate.builder("reminder", "en").build());
        fails("template \"reminder\" (en): types.twilio/text: is given twice; a template has at most one of each"
                + " content type.", () -> ContentTemplate.builder("reminder", "en").text("Hi").text("Hello"));
    }

    @Test
    void theErrorDocsTemplatesMdShows() {
        // in code a type is checked where it is created, before the template that will hold it
        fails("types.twilio/quick-reply.actions[0].title: is 23 characters, over WhatsApp's limit of 20 for a"
                + " quick-reply button title; shorten it.",
                () -> ContentTemplate.builder("appointment_confirmation", "en").variable("1", "Ada")
                        .type(ContentType.QuickReply.of("Hi {{1}}, can you make it?",
                                ContentType.Button.of("confirm", "Yes, I will be there :)"))));
        // rules of the whole template are checked by build(), which names it
        fails("template \"appointment_confirmation\" (en): variables.2: is missing; {{2}} in"
                + " types.twilio/quick-reply.body needs an example value (WhatsApp approves a template only with samples).",
                () -> ContentTemplate.builder("appointment_confirmation", "en").variable("1", "Ada")
                        .type(ContentType.QuickReply.of("Hi {{1}}, see you on {{2}}?", ContentType.Button.of("y", "Yes")))
                        .build());
    }

    @Test
    void newBuilderKeepsEverything() {
        ContentTemplate t = Samples.offer();
        assertEquals(t, t.newBuilder().build());
        assertEquals("ContentTemplate[spring_offer (en): twilio/card]", t.toString());
        assertEquals(Optional.of("Reply STOP to opt out"), ((ContentType.Card) t.types().get(0)).subtitle());
    }
}
