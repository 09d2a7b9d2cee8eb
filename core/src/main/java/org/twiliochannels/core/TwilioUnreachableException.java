package org.twiliochannels.core;

/**
 * No request reached Twilio (connection refused, unknown host, TLS handshake failed, connect
 * timeout), retries included: the message was not sent and can safely be sent again later.
 */
public class TwilioUnreachableException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private final int attempts;

    /**
     * @param message  what failed, for the user
     * @param attempts how many connection attempts were made
     * @param cause    the last I/O failure
     */
    public TwilioUnreachableException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }
}
