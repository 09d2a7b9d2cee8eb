package org.twiliochannels.outbox;

import org.twiliochannels.core.TwilioChannelsException;

/** The outbox's database failed or refused: the message says what was being done and the cause is kept. */
public class OutboxException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for the user and its cause. */
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
