package org.twiliochannels.core.event;

/** Why an attempt is followed by another. */
public enum RetryReason {
    /** 429 / 20429: Twilio did not process the request. */
    RATE_LIMITED,
    /** The request never left this machine (connect, DNS or TLS failure). */
    UNREACHABLE,
    /** A transient Twilio error such as a full queue, or a 5xx the policy allows to retry. */
    TRANSIENT_ERROR,
    /** The attempt's answer was lost, and Twilio's message log showed nothing was created. */
    SETTLED_ABSENT,
    /** The attempt's answer was lost and the policy retries such failures without settling. */
    AMBIGUOUS;

    /** The lower-case tag value, e.g. {@code "rate_limited"}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
