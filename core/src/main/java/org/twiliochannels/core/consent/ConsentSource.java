package org.twiliochannels.core.consent;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.MessageSid;

/**
 * How a consent change came about, for the audit trail: a keyword the person sent, Twilio's
 * refusal of a send with error 21610, or the application's own record (a phone call, an email, a
 * form: the US rule in force since April 2025 accepts a revocation "by any reasonable means").
 */
public sealed interface ConsentSource {

    /** A short name of the kind of source, as the CSV export writes it: {@code keyword}, {@code error-21610}, {@code api}. */
    String kind();

    /**
     * The person sent an opt-out or opt-in keyword.
     *
     * @param keyword    the keyword as {@link OptOutKeywords#recordedKeyword} gives it, e.g.
     *                   {@code "STOP"} or {@code "OptOutType=STOP"}
     * @param messageSid the inbound message that carried it
     */
    record Keyword(String keyword, MessageSid messageSid) implements ConsentSource {
        /** Validates: {@code keyword} is a default keyword in upper case or {@code OptOutType=STOP|START|HELP}. */
        public Keyword {
            Objects.requireNonNull(keyword, "keyword");
            Objects.requireNonNull(messageSid, "messageSid");
            OptOutKeywords.kindOf(keyword);
        }

        @Override
        public String kind() {
            return "keyword";
        }
    }

    /**
     * Twilio refused a send with error 21610 ("Attempt to send to unsubscribed recipient"): the
     * person had opted out where this library did not see it (another system's webhook, Twilio's
     * Console). Only ever an opt-out.
     *
     * @param messageSid the message Twilio failed with 21610, when it had one (a status callback of
     *                   a Messaging Service's message); empty when Twilio refused the request itself
     * @param detail     where it was seen, e.g. {@code "send refused by Twilio: Attempt to send to
     *                   unsubscribed recipient"}; no phone number; may be empty; at most 500 characters
     */
    record Error21610(Optional<MessageSid> messageSid, String detail) implements ConsentSource {
        /** Validates. */
        public Error21610 {
            Objects.requireNonNull(messageSid, "messageSid");
            Objects.requireNonNull(detail, "detail");
            if (detail.length() > 500) {
                throw new IllegalArgumentException("detail is too long (" + detail.length() + " characters); at most 500");
            }
        }

        /** Without context: neither message SID nor detail. */
        public Error21610() {
            this(Optional.empty(), "");
        }

        @Override
        public String kind() {
            return "error-21610";
        }
    }

    /**
     * The application recorded the change.
     *
     * @param who  who recorded it (an operator, a system), e.g. {@code "support:alice"}; not blank
     * @param note why, e.g. {@code "asked by phone to stop, ticket 4711"}; may be empty
     */
    record Api(String who, String note) implements ConsentSource {
        /** Validates. */
        public Api {
            Objects.requireNonNull(who, "who");
            Objects.requireNonNull(note, "note");
            if (who.isBlank()) {
                throw new IllegalArgumentException("who must name who recorded the change (an operator or a system),"
                        + " e.g. \"support:alice\"; it is part of the audit trail");
            }
            if (who.length() > 200) {
                throw new IllegalArgumentException("who is too long (" + who.length() + " characters); at most 200");
            }
            if (note.length() > 2000) {
                throw new IllegalArgumentException("note is too long (" + note.length() + " characters); at most 2000");
            }
        }

        @Override
        public String kind() {
            return "api";
        }
    }
}
