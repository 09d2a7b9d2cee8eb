package org.twiliochannels.core;

import java.util.Objects;

/**
 * A message failed a check before anything was sent: it names the field and the fix. The message
 * was not sent.
 */
public class InvalidMessageException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   the field at fault, e.g. {@code "to"} or {@code "body"}
     * @param message what is wrong and how to fix it; prefixed with the field
     */
    public InvalidMessageException(String field, String message) {
        super(Objects.requireNonNull(field, "field") + ": " + message);
        this.field = field;
    }

    /** The field at fault. */
    public String field() {
        return field;
    }
}
