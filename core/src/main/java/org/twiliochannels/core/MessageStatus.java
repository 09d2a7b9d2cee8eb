package org.twiliochannels.core;

import java.util.Locale;

/** Where a message is in its life at Twilio, as in the {@code status} of the Messages API. */
public enum MessageStatus {
    /** Accepted and waiting to be sent. */
    QUEUED,
    /** Accepted by a Messaging Service, not yet queued. */
    ACCEPTED,
    /** Scheduled for later. */
    SCHEDULED,
    /** Being handed to the carrier or WhatsApp. */
    SENDING,
    /** Handed over; delivery not yet confirmed. */
    SENT,
    /** Delivery confirmed. */
    DELIVERED,
    /** Read by the recipient (WhatsApp). */
    READ,
    /** The carrier or WhatsApp could not deliver it. */
    UNDELIVERED,
    /** Twilio could not send it. */
    FAILED,
    /** A scheduled message that was canceled. */
    CANCELED,
    /** Delivered in part (some recipients of a group). */
    PARTIALLY_DELIVERED,
    /** An inbound message being received. */
    RECEIVING,
    /** An inbound message received. */
    RECEIVED,
    /** A status this library does not know yet. */
    UNKNOWN;

    /** The status named by Twilio's text ({@code "queued"}, {@code "partially_delivered"} …), or {@link #UNKNOWN}. */
    public static MessageStatus fromTwilio(String status) {
        if (status == null || status.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(status.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** True when the status will not change any more. */
    public boolean isFinal() {
        return switch (this) {
            case DELIVERED, READ, UNDELIVERED, FAILED, CANCELED, RECEIVED -> true;
            default -> false;
        };
    }

    /** Twilio's text for this status. */
    public String twilioName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
