package org.twiliochannels.outbox;

import java.util.Locale;

/**
 * Where a message is in the outbox. Twilio's own status after acceptance ({@code sent},
 * {@code delivered}, {@code read}, {@code undelivered}, {@code failed}) is kept beside it, in
 * {@link OutboxRecord#twilioStatus()}, fed by status callbacks.
 */
public enum OutboxState {
    /** Waiting for a worker (new, or to be retried after a failure that sent nothing). */
    QUEUED,
    /** A worker holds it under a lease and has not started an attempt yet. */
    CLAIMED,
    /** A worker recorded an attempt and is sending it; if its lease expires, the next worker settles it first. */
    SENDING,
    /** Twilio accepted it: the record has its SID. */
    ACCEPTED,
    /** Not sent, and never will be by the outbox: Twilio refused it or the message is invalid. */
    REJECTED,
    /** May have been sent: Twilio's message log could not tell. Check before enqueueing it again. */
    UNKNOWN,
    /**
     * Not sent, and never will be: when a worker claimed it, the recipient's consent in force for its
     * sender was an opt-out ({@link Outbox#consentLedger()}). No request was made.
     */
    OPTED_OUT,
    /** Not sent, and never will be: {@link Outbox#cancel(String)} ended it before its attempt. No request was made. */
    CANCELED,
    /**
     * Not sent, and never will be: the same content ({@link org.twiliochannels.core.schedule.ContentFingerprint})
     * went to the same recipient within the outbox's duplicate window. No request was made.
     */
    DUPLICATE;

    /** True once the outbox is done with the message. */
    public boolean isOutcome() {
        return this != QUEUED && this != CLAIMED && this != SENDING;
    }

    /** True for the outcomes at which no request was made: opted out, canceled, duplicate. */
    public boolean isSuppressed() {
        return this == OPTED_OUT || this == CANCELED || this == DUPLICATE;
    }

    /** The name stored in the table, e.g. {@code "queued"} or {@code "opted-out"}. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static OutboxState fromDb(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
