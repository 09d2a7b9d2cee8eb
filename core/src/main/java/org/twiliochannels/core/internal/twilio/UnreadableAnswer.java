package org.twiliochannels.core.internal.twilio;

/**
 * Twilio answered with a success (2xx) that cannot be read: not JSON, not the resource asked for,
 * or a created message without a usable SID. Thrown by {@link TwilioApi}, caught by the runner: for
 * a send, Twilio said yes, so it stays "may have been sent". Not API.
 */
public final class UnreadableAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code message} says what is wrong with the answer. */
    UnreadableAnswer(String message, Throwable cause) {
        super("Twilio answered but the answer could not be read: " + message, cause);
    }
}
