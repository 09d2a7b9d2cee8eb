package org.twiliochannels.testing;

import java.util.Objects;
import java.util.Optional;

/**
 * One message-create request the {@link FakeTwilio} received, and how it answered.
 *
 * @param params the form parameters
 * @param fault  the fault played on it, if any
 * @param stored whether the fake stored the message as sent (a delayed or malformed success counts)
 */
public record CreateRequest(FormBody params, Optional<Fault> fault, boolean stored) {
    /** Validates the components. */
    public CreateRequest {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(fault, "fault");
    }
}
