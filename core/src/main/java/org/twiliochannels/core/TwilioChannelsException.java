package org.twiliochannels.core;

/**
 * The root of every exception this library throws on purpose. Subtypes tell what happened to a
 * message: {@link InvalidMessageException}, {@link TwilioRejectedException} and
 * {@link TwilioUnreachableException} mean it was not sent; {@link DeliveryUnknownException} means
 * it may have been. Messages never contain a secret.
 */
public class TwilioChannelsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for the user. */
    public TwilioChannelsException(String message) {
        super(message);
    }

    /** An exception with a message for the user and its cause. */
    public TwilioChannelsException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True only when the message may have reached Twilio: check its status (by SID or status
     * callback) before sending it again.
     */
    public boolean mayHaveBeenSent() {
        return false;
    }
}
