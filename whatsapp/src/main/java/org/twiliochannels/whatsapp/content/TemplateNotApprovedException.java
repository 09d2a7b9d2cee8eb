package org.twiliochannels.whatsapp.content;

import java.util.Objects;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.content.ApprovalStatus;

/**
 * A WhatsApp send needs an approved template (outside the 24-hour window, or a type WhatsApp takes
 * only approved) and this one is not approved: the message names the template, its status, any
 * rejection reason and the fix. Thrown before any request; nothing was sent (field {@code template}).
 */
public final class TemplateNotApprovedException extends InvalidMessageException {
    private static final long serialVersionUID = 1L;
    private final ApprovalStatus status;

    TemplateNotApprovedException(ApprovalStatus status, String message) {
        super("template", message);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The template's approval status when the send was refused. */
    public ApprovalStatus status() {
        return status;
    }
}
