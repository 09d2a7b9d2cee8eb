package org.twiliochannels.core.event;

import java.util.Objects;

/**
 * A webhook request was checked.
 *
 * @param kind     {@code "inbound"}, {@code "status"} or {@code "unknown"} when it was rejected before its kind was known
 * @param accepted true when the signature and the fields were valid
 * @param reason   why it was rejected (a fixed, short phrase such as {@code "bad signature"}); empty when accepted
 */
public record WebhookVerified(String kind, boolean accepted, String reason) {
    /** Checks the components. */
    public WebhookVerified {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
