package org.twiliochannels.core.webhook;

import org.twiliochannels.core.TwilioChannelsException;

/** A webhook request failed verification; answer it with 403 and do not act on it. */
public class WebhookRejectedException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    /** Why a request was rejected. */
    public enum Reason {
        /** No {@code X-Twilio-Signature} header. */
        MISSING_SIGNATURE,
        /** The signature does not match the URL, parameters and auth token. */
        INVALID_SIGNATURE,
        /** A parameter appears more than once: Twilio's messaging webhooks never do that. */
        REPEATED_PARAMETER,
        /** The JSON body does not match its {@code bodySHA256}. */
        BODY_MISMATCH,
        /** The request is signed but is not a messaging webhook this library understands. */
        NOT_A_MESSAGING_WEBHOOK
    }

    private final Reason reason;

    /** An exception with its reason and a message for logs. */
    public WebhookRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the request was rejected. */
    public Reason reason() {
        return reason;
    }
}
