package org.twiliochannels.core.content;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Content template's WhatsApp approval changed, as seen by whoever tracks it (the whatsapp
 * module's {@code WhatsAppTemplates}): its first status seen, or a status or rejection reason other
 * than the last one seen.
 *
 * @param friendlyName the template's friendly name
 * @param language     its language
 * @param previous     the status seen before, absent the first time
 * @param approval     the approval now, with its status and any rejection reason
 * @param at           when the change was seen
 */
public record TemplateStatusChange(String friendlyName, String language, Optional<ApprovalStatus> previous,
                                   WhatsAppApproval approval, Instant at) {
    /** Validates the components. */
    public TemplateStatusChange {
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(at, "at");
    }

    /** The status now. */
    public ApprovalStatus status() {
        return approval.status();
    }

    /** True when the template is now paused or disabled: it was approved and WhatsApp no longer delivers it. */
    public boolean incident() {
        return approval.status().incident();
    }

    /** E.g. {@code appointment_confirmation (en) HX…: pending -> rejected (INVALID_FORMAT)}. */
    @Override
    public String toString() {
        return friendlyName + " (" + language + ") " + approval.sid() + ": "
                + previous.map(p -> p.twilioName() + " -> ").orElse("") + approval.describe();
    }
}
