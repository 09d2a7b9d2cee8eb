package org.twiliochannels.whatsapp.content;

import java.util.List;
import java.util.Objects;
import org.twiliochannels.core.ContentSid;

/**
 * What {@link WhatsAppTemplates#deploy} found or did for one template.
 *
 * @param template    the definition
 * @param sid         the Content resource at Twilio with its friendly name and language
 * @param outcome     created, found equal, or found different
 * @param differences the fields in which Twilio's resource differs ({@link ContentTemplate#differences}); empty unless {@link Outcome#DIFFERS}
 */
public record TemplateDeployment(ContentTemplate template, ContentSid sid, Outcome outcome, List<String> differences) {
    /** What happened. */
    public enum Outcome {
        /** Twilio had none with this friendly name and language: created. */
        CREATED,
        /** Twilio has one equal to the definition: used as it is. */
        FOUND,
        /**
         * Twilio has one that differs from the definition: neither is used (sends of it are refused)
         * until one of them changes: give the new definition another friendly name (e.g. a
         * {@code _v2} suffix), or delete Twilio's.
         */
        DIFFERS
    }

    /** Validates the components. */
    public TemplateDeployment {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(outcome, "outcome");
        differences = List.copyOf(differences);
    }

    /** E.g. {@code appointment_confirmation (en) HX…: created}. */
    @Override
    public String toString() {
        return template.friendlyName() + " (" + template.language() + ") " + sid + ": "
                + outcome.name().toLowerCase(java.util.Locale.ROOT)
                + (differences.isEmpty() ? "" : " in " + String.join(", ", differences));
    }
}
