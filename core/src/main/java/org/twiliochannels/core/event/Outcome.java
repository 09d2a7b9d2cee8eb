package org.twiliochannels.core.event;

/** The three outcomes of a send. */
public enum Outcome {
    /** Twilio accepted the message: there is a receipt. */
    ACCEPTED,
    /** Not sent: rejected by a check, by Twilio, or Twilio could not be reached. */
    REJECTED,
    /** May have been sent: Twilio's answer was lost and the log did not settle it. */
    UNKNOWN;

    /** The lower-case tag value, e.g. {@code "accepted"}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
