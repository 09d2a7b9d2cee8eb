package org.twiliochannels.core.content;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.ContentSid;

/**
 * A Content resource's WhatsApp approval, as {@code GET /v1/Content/{Sid}/ApprovalRequests} (its
 * {@code whatsapp} object) or the approval request's answer returns it.
 *
 * @param sid             the Content resource
 * @param name            the template name given with the approval request, absent before one
 * @param category        the category ({@code UTILITY}, {@code MARKETING}, {@code AUTHENTICATION}), absent before one
 * @param status          the status
 * @param rejectionReason WhatsApp's reason, present only when Twilio gives a non-empty one
 */
public record WhatsAppApproval(ContentSid sid, Optional<String> name, Optional<String> category, ApprovalStatus status,
                               Optional<String> rejectionReason) {
    /** Validates the components. */
    public WhatsAppApproval {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rejectionReason, "rejectionReason");
    }

    /** The status with the rejection reason, e.g. {@code rejected (INVALID_FORMAT)} or {@code approved}. */
    public String describe() {
        return status.twilioName() + rejectionReason.map(r -> " (" + r + ")").orElse("");
    }
}
