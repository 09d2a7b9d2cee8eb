package org.twiliochannels.core.internal.twilio;

import java.time.Duration;
import java.util.Optional;
import org.twiliochannels.core.TwilioError;

/**
 * Twilio (or something in its place) answered with anything but a success (2xx): an error of 400
 * or above, or a redirect or interim status that Twilio's API never answers (not processed; the
 * SDK, which takes 200 to 399 as success, never sees those). Thrown by the transport through the
 * SDK, caught by the send engine's runner. Not API.
 */
public final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient TwilioError error;
    private final transient Duration retryAfter;

    public HttpFailure(TwilioError error, Duration retryAfter) {
        super(error.describe(), null, false, false);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** The parsed answer. */
    public TwilioError error() {
        return error;
    }

    /** The wait the server asked for in {@code Retry-After}, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
