package org.twiliochannels.core;

import java.util.Objects;

/**
 * Twilio answered with an error: the message was not sent. {@link #error()} has Twilio's code,
 * HTTP status, message and documentation link, and a hint from the library's catalogue.
 */
public class TwilioRejectedException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private final TwilioError error;
    private final int attempts;

    /**
     * @param error    what Twilio answered
     * @param attempts how many requests were made, retries included
     */
    public TwilioRejectedException(TwilioError error, int attempts) {
        super(Objects.requireNonNull(error, "error").describe()
                + (attempts > 1 ? " (after " + attempts + " attempts)" : ""));
        this.error = error;
        this.attempts = attempts;
    }

    /** The exception for {@code error}: an {@link OutsideSessionWindowException} for 63016, else this type. */
    public static TwilioRejectedException of(TwilioError error, int attempts) {
        return error.known().orElse(null) == TwilioErrorCode.OUTSIDE_SESSION_WINDOW
                ? new OutsideSessionWindowException(error, attempts)
                : new TwilioRejectedException(error, attempts);
    }

    /** What Twilio answered. */
    public TwilioError error() {
        return error;
    }

    /** How many requests were made, retries included. */
    public int attempts() {
        return attempts;
    }
}
