package org.twiliochannels.core;

/**
 * WhatsApp refused free-form text because the 24-hour customer-service window is closed (Twilio
 * error 63016): the recipient has not written to you in the last 24 hours. Send an approved Content
 * {@link Template} instead, or give the message a {@link Message.Builder#fallbackTemplate fallback
 * template} so the channel does it for you. Not sent.
 */
public class OutsideSessionWindowException extends TwilioRejectedException {
    private static final long serialVersionUID = 1L;

    /** An exception for Twilio's 63016 answer. */
    public OutsideSessionWindowException(TwilioError error, int attempts) {
        super(error, attempts);
    }
}
