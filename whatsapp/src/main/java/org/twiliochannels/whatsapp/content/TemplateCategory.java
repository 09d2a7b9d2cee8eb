package org.twiliochannels.whatsapp.content;

/** A WhatsApp template category, given with the approval request. */
public enum TemplateCategory {
    /** About a transaction the recipient started: confirmations, reminders, updates. */
    UTILITY,
    /** Offers, announcements and anything else promotional. */
    MARKETING,
    /** One-time codes ({@code whatsapp/authentication}). */
    AUTHENTICATION
}
