package org.twiliochannels.core.internal.http;

import java.io.IOException;

/**
 * An I/O failure of the transport, classified by whether the request may have reached Twilio.
 * Thrown by the transport through the SDK, caught by the send engine's runner. Not API.
 */
public final class IoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean mayHaveReachedTwilio;

    public IoFailure(String message, boolean mayHaveReachedTwilio, IOException cause) {
        super(message, cause, false, false);
        this.mayHaveReachedTwilio = mayHaveReachedTwilio;
    }

    /** False when the failure happened before the request was written (connect, DNS, TLS handshake). */
    public boolean mayHaveReachedTwilio() {
        return mayHaveReachedTwilio;
    }
}
