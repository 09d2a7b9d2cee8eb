package org.twiliochannels.core.event;

/** Why a message was refused before any request, by a check the account makes on every send. */
public enum RefusalReason {
    /** The recipient opted out in the sender's consent scope ({@link org.twiliochannels.core.consent.RecipientOptedOutException}). */
    OPTED_OUT,
    /** The quiet-hours window of the message's category is closed for the recipient ({@link org.twiliochannels.core.schedule.QuietHoursException}). */
    QUIET_HOURS;

    /** The lower-case tag value, e.g. {@code "opted_out"}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
