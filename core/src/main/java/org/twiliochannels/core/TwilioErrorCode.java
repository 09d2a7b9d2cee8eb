package org.twiliochannels.core;

import java.util.Optional;

/**
 * The Twilio error codes a sender of SMS and WhatsApp messages meets, each with what kind of
 * failure it is and a one-line hint: the API's answers and the delivery codes of status callbacks
 * (300xx: permanent, as an API answer with their HTTP status 400 would be). Codes not listed keep their number, status, message and link
 * in {@link TwilioError} all the same.
 */
public enum TwilioErrorCode {
    /** The account is not active (suspended or closed). */
    ACCOUNT_NOT_ACTIVE(10001, Kind.FATAL,
            "The account is not active: check its status under Twilio Console > Account > General settings."),
    /** Credentials do not match. */
    AUTHENTICATION_FAILED(20003, Kind.FATAL,
            "Account SID and Auth Token (or API key and secret) do not match: copy them again from Twilio Console > Account Info."),
    /** The resource is not there. */
    NOT_FOUND(20404, Kind.PERMANENT,
            "Not found: check the Account SID and any SID in the request."),
    /** The account or subaccount is suspended or closed. */
    ACCOUNT_SUSPENDED(20005, Kind.FATAL,
            "The account is suspended or closed: check its status and billing in Twilio Console."),
    /** Too many requests. */
    TOO_MANY_REQUESTS(20429, Kind.TRANSIENT,
            "Too many concurrent requests: slow down; the library retries these."),
    /** Twilio's internal error: the request may or may not have been processed. */
    INTERNAL_SERVER_ERROR(20500, Kind.AMBIGUOUS,
            "Twilio had an internal error: the message may have been created; the library settles it from the message log."),
    /** Twilio's service unavailable: the request may or may not have been processed. */
    SERVICE_UNAVAILABLE(20503, Kind.AMBIGUOUS,
            "Twilio was unavailable: the message may have been created; the library settles it from the message log."),
    /** Invalid To. */
    INVALID_TO(21211, Kind.PERMANENT,
            "The To number is not a valid phone number: check it is a reachable E.164 number."),
    /** Invalid From. */
    INVALID_FROM(21212, Kind.FATAL,
            "The From number is not valid: use an E.164 number, short code or sender of your account."),
    /** Country not enabled. */
    GEO_PERMISSION(21408, Kind.PERMANENT,
            "Sending to this country is not enabled: Twilio Console > Messaging > Settings > Geo permissions."),
    /** From is not a capable number of the account. */
    FROM_NOT_CAPABLE(21606, Kind.FATAL,
            "The From number is not an SMS-capable number of this account: Twilio Console > Phone Numbers > Active numbers."),
    /** Trial account sending to an unverified number. */
    TRIAL_UNVERIFIED_TO(21608, Kind.PERMANENT,
            "Trial accounts send only to verified numbers: verify the recipient under Twilio Console > Phone Numbers > Verified Caller IDs, or upgrade."),
    /** The recipient opted out. */
    RECIPIENT_UNSUBSCRIBED(21610, Kind.PERMANENT,
            "The recipient replied STOP: they must reply START before they can be messaged again."),
    /** The sender's queue is full. */
    QUEUE_FULL(21611, Kind.TRANSIENT,
            "This sender's queue is full (about 10 hours of traffic): slow down and send the rest later."),
    /** Twilio cannot route the message. */
    CANNOT_ROUTE(21612, Kind.PERMANENT,
            "Twilio cannot route from this sender to this number: check the sender's capabilities and the destination."),
    /** To is not a mobile number. */
    NOT_MOBILE(21614, Kind.PERMANENT,
            "The To number is not a mobile number and cannot receive SMS."),
    /** Body too long. */
    BODY_TOO_LONG(21617, Kind.PERMANENT,
            "The body exceeds 1600 characters: shorten it or send it as several messages."),
    /** Mixed channels. */
    CHANNEL_MISMATCH(21910, Kind.PERMANENT,
            "From and To are on different channels: use the whatsapp: prefix on both or on neither."),
    /** Delivery (a status callback's code): the handset could not be reached. */
    UNREACHABLE_HANDSET(30003, Kind.PERMANENT,
            "The handset was unreachable (switched off, out of coverage, roaming without SMS): try again later, or reach the person another way."),
    /** Delivery: the carrier does not know the number. */
    UNKNOWN_HANDSET(30005, Kind.PERMANENT,
            "The number is unknown to its carrier (not in service, or mistyped): confirm it with the recipient before sending again."),
    /** Delivery: a landline, or a carrier that cannot take the message. */
    LANDLINE_OR_UNREACHABLE_CARRIER(30006, Kind.PERMANENT,
            "The number is a landline or its carrier cannot receive the message: use another number (a line-type Lookup before sending finds these)."),
    /** Delivery: the carrier filtered the message. */
    CARRIER_FILTERED(30007, Kind.PERMANENT,
            "The carrier filtered the message as spam or unregistered traffic: register the sender (A2P 10DLC, toll-free verification) and review the content."),
    /** Delivery: the carrier gave no reason. */
    DELIVERY_UNKNOWN(30008, Kind.PERMANENT,
            "The carrier reported no reason: try once more later; if it repeats for a number, give Twilio Support the message SIDs."),
    /** No WhatsApp sender. */
    NO_WHATSAPP_SENDER(63007, Kind.FATAL,
            "No WhatsApp sender for this From address: check TWILIO_WHATSAPP_FROM against Twilio Console > Messaging > Senders > WhatsApp senders."),
    /** Sandbox not joined. */
    SANDBOX_NOT_JOINED(63015, Kind.PERMANENT,
            "The recipient has not joined the WhatsApp sandbox: from their phone they must send 'join <your sandbox code>' to +1 415 523 8886 (code under Twilio Console > Messaging > Try it out > Send a WhatsApp message)."),
    /** Outside the 24-hour window. */
    OUTSIDE_SESSION_WINDOW(63016, Kind.PERMANENT,
            "Outside the 24-hour customer-service window: send an approved Content template (ContentSid) instead of free-form text."),
    /** WhatsApp rate limit. */
    WHATSAPP_RATE_LIMIT(63018, Kind.TRANSIENT,
            "WhatsApp rate limit reached for this sender: slow down and send later.");

    /**
     * What kind of failure a code is: the one vocabulary the retry runner, bulk sending, the
     * command line's exit codes and the doctor all read.
     */
    public enum Kind {
        /** Sending this message again unchanged fails again: fix the message or the recipient. */
        PERMANENT,
        /** Nothing was created and a later attempt may succeed: retried within the send's budget. */
        TRANSIENT,
        /**
         * The account, the credentials or the sender is unusable: every other message would fail
         * the same way, so a bulk run stops.
         */
        FATAL,
        /** The request may or may not have been processed (a 5xx): settled from the message log. */
        AMBIGUOUS,
        /** Not in the catalogue, and the HTTP status does not say. */
        UNKNOWN
    }

    private final int code;
    private final Kind kind;
    private final String hint;

    TwilioErrorCode(int code, Kind kind, String hint) {
        this.code = code;
        this.kind = kind;
        this.hint = hint;
    }

    /** Twilio's number for the error. */
    public int code() {
        return code;
    }

    /** Permanent, transient, fatal or ambiguous. */
    public Kind kind() {
        return kind;
    }

    /** What to do about it, in one line. */
    public String hint() {
        return hint;
    }

    /** The catalogue entry of {@code code}, if there is one. */
    public static Optional<TwilioErrorCode> of(int code) {
        for (TwilioErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
