package org.twiliochannels.whatsapp.content;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One template of each content type, as an application would define them. */
final class Samples {
    private Samples() {}

    static ContentTemplate appointmentConfirmation() {
        return ContentTemplate.builder("appointment_confirmation", "en")
                .variable("1", "Ada").variable("2", "Tuesday 3 pm")
                .type(ContentType.QuickReply.of("Hi {{1}}, your appointment is on {{2}}. Can you make it?",
                        ContentType.Button.of("confirm", "Yes, I'll be there"),
                        ContentType.Button.of("reschedule", "Reschedule")))
                .text("Hi {{1}}, your appointment is on {{2}}. Reply YES to confirm.")
                .build();
    }

    static ContentTemplate invoice() {
        return ContentTemplate.builder("invoice_ready", "en_GB")
                .variable("1", "invoices/2024-0042.pdf")
                .type(new ContentType.Media(Optional.of("Your invoice is ready."),
                        List.of("https://example.com/{{1}}")))
                .build();
    }

    static ContentTemplate menu() {
        return ContentTemplate.builder("store_menu", "en")
                .type(ContentType.ListPicker.of("What would you like to do?", "Choose",
                        ContentType.ListItem.of("orders", "My orders", "Track an order"),
                        new ContentType.ListItem("agent", "Talk to us", Optional.empty())))
                .build();
    }

    static ContentTemplate delivery() {
        return ContentTemplate.builder("delivery_update", "pt_BR")
                .variable("1", "4471")
                .type(ContentType.CallToAction.of("Your order {{1}} is on its way.",
                        ContentType.Action.url("Track it", "https://example.com/track/{{1}}"),
                        ContentType.Action.phone("Call us", "+14155550100")))
                .build();
    }

    static ContentTemplate offer() {
        return ContentTemplate.builder("spring_offer", "en")
                .variable("1", "SPRING10")
                .type(new ContentType.Card("Use code {{1}} for 10% off.", Optional.of("Reply STOP to opt out"),
                        List.of("https://example.com/offer.jpg"),
                        List.of(ContentType.Action.url("Shop now", "https://example.com/shop"),
                                ContentType.Action.quickReply("not_now", "Not now"))))
                .build();
    }

    static ContentTemplate oneTimeCode() {
        return ContentTemplate.builder("login_code", "en")
                .type(new ContentType.WhatsAppAuthentication(true, OptionalInt.of(10), "Copy code"))
                .build();
    }

    static List<ContentTemplate> all() {
        return List.of(appointmentConfirmation(), invoice(), menu(), delivery(), offer(), oneTimeCode());
    }
}
