package org.twiliochannels.core;

/**
 * The {@link TwilioAccount} was closed before this send started: the message was not sent. Open a
 * new client to send it.
 */
public class ClientClosedException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for the user. */
    public ClientClosedException(String message) {
        super(message);
    }
}
