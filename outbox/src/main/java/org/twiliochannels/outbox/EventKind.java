package org.twiliochannels.outbox;

import java.util.Locale;

/** What an entry of a message's history records, as {@link OutboxEvent#kind()} names it and the table stores it. */
enum EventKind {
    /** The message was added (from the row's creation time, not stored as an event). */
    ENQUEUED,
    /** A worker recorded an attempt, just before its request. */
    ATTEMPT,
    /** Twilio accepted the message. */
    ACCEPTED,
    /** Twilio refused it, the message was invalid, or the attempts ran out. */
    REJECTED,
    /** Not sent; queued again after a backoff. */
    RETRY,
    /** May have been sent. */
    UNKNOWN,
    /** A dead worker's message was found in Twilio's log. */
    SETTLED_FOUND,
    /** A dead worker's message was not in Twilio's log: it is sent again. */
    SETTLED_ABSENT,
    /** Twilio's log could not tell whether a dead worker's message was created. */
    SETTLED_UNKNOWN,
    /** A status callback from Twilio. */
    STATUS,
    /** Claimed, not sent: the recipient is opted out. */
    OPTED_OUT,
    /** Claimed, not sent yet: quiet hours or a frequency cap hold it until its new due time. */
    HELD,
    /** Claimed, not sent: the same content went to the same recipient within the duplicate window. */
    DUPLICATE,
    /** Canceled by its key. */
    CANCELED,
    /** Moved to another due time by its key. */
    RESCHEDULED;

    private final String dbName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name stored in the table and shown in {@link OutboxEvent#kind()}, e.g. {@code "settled-found"}. */
    String dbName() {
        return dbName;
    }
}
