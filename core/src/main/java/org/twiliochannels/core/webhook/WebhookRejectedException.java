package org.twiliochannels.core.webhook;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.TwilioChannelsException;

/**
 * A webhook request failed verification; answer it with 403 and do not act on it. Every way a
 * request can be wrong ends here, malformed URLs and bodies included. The message names the field
 * and the rule; it never quotes a phone number, a message body or any other value of the request.
 */
public class WebhookRejectedException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    /** Why a request was rejected; {@link #tag()} is a short fixed phrase fit for a metrics tag. */
    public enum Reason {
        /** No {@code X-Twilio-Signature} header. */
        MISSING_SIGNATURE("missing signature"),
        /** The signature does not match the URL, parameters and auth token. */
        INVALID_SIGNATURE("bad signature"),
        /** The URL the request was received on is not an absolute http(s) URL with a host and a valid port. */
        MALFORMED_URL("malformed url"),
        /** The body is not valid form encoding (or JSON) in UTF-8. */
        MALFORMED_BODY("malformed body"),
        /** The URL, the body or the number of parameters is beyond what a Twilio webhook ever has. */
        TOO_LARGE("too large"),
        /** A parameter appears more than once: Twilio's messaging webhooks never do that. */
        REPEATED_PARAMETER("repeated parameter"),
        /** The JSON body does not match its {@code bodySHA256}. */
        BODY_MISMATCH("body mismatch"),
        /** Signed, but {@code AccountSid} is not the account this verifier is for. */
        WRONG_ACCOUNT("wrong account"),
        /**
         * {@code AccountSid} names an account the application does not know (or whose auth token
         * could not be looked up), so the request cannot be verified.
         */
        UNKNOWN_ACCOUNT("unknown account"),
        /**
         * Signed, but a field Twilio always sends is missing or not in the form Twilio writes it:
         * the sign of a replayed request whose name and value boundaries were shifted.
         */
        BAD_FIELD("bad field"),
        /** The request is signed but is not a messaging webhook this library understands. */
        NOT_A_MESSAGING_WEBHOOK("not a messaging webhook");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        /** A short fixed phrase for this reason, e.g. {@code "bad signature"}: the same for every request. */
        public String tag() {
            return tag;
        }
    }

    private final Reason reason;
    private final String field;

    /** An exception with its reason and a message for logs. */
    public WebhookRejectedException(Reason reason, String message) {
        this(reason, null, message);
    }

    /**
     * An exception with its reason, the parameter at fault and a message for logs.
     *
     * @param field the parameter's name, e.g. {@code "ApiVersion"}, or null when no one parameter is at fault
     */
    public WebhookRejectedException(Reason reason, String field, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    /** Why the request was rejected. */
    public Reason reason() {
        return reason;
    }

    /** The parameter at fault, e.g. {@code "From"}, when the request was rejected for one parameter. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
