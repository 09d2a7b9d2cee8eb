package org.twiliochannels.whatsapp.content;

/**
 * Whether the recipient wrote within WhatsApp's 24-hour customer-service window. Outside it
 * ({@link #CLOSED}, also the safe choice when the application does not know) WhatsApp delivers only
 * approved templates.
 */
public enum SessionWindow {
    /** The recipient wrote in the last 24 hours: session messages need no approval, except approval-only types. */
    OPEN,
    /** Business-initiated: only an approved template of a type that may start a conversation. */
    CLOSED
}
