package org.twiliochannels.core.content;

import java.util.Locale;
import java.util.Objects;

/**
 * A Content template's WhatsApp approval status, as Twilio reports it in
 * {@code GET /v1/Content/{Sid}/ApprovalRequests} ({@code whatsapp.status}).
 */
public enum ApprovalStatus {
    /** Not submitted for WhatsApp approval. */
    UNSUBMITTED,
    /** Submitted; Twilio received the request. */
    RECEIVED,
    /** Submitted; WhatsApp is reviewing it. */
    PENDING,
    /** Approved: may be sent outside the 24-hour window. */
    APPROVED,
    /** Rejected by WhatsApp (the rejection reason says why). */
    REJECTED,
    /** Paused by WhatsApp after poor feedback from recipients: not delivered until it is approved again. */
    PAUSED,
    /** Disabled by WhatsApp (paused too often): never delivered again. */
    DISABLED,
    /** A status this version of the library does not know. */
    UNKNOWN;

    /** The status for Twilio's text ({@code approved}, {@code rejected} …, any case); {@link #UNKNOWN} for others. */
    public static ApprovalStatus fromTwilio(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (ApprovalStatus s : values()) {
            if (s != UNKNOWN && s.name().equals(t)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /** Twilio's text for it, e.g. {@code approved}. */
    public String twilioName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for {@link #APPROVED}: the only status in which WhatsApp delivers it outside the window. */
    public boolean approved() {
        return this == APPROVED;
    }

    /**
     * True for {@link #PAUSED} and {@link #DISABLED}: a template that was approved and is no longer
     * delivered, an incident for whoever runs the sends.
     */
    public boolean incident() {
        return this == PAUSED || this == DISABLED;
    }
}
