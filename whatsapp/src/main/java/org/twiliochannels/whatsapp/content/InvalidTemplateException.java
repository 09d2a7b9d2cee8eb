package org.twiliochannels.whatsapp.content;

import java.util.Objects;
import org.twiliochannels.core.TwilioChannelsException;

/**
 * A template definition broke a rule of WhatsApp, Twilio or the definition file format: the message
 * names the file (when read from one), the template, the field, the rule and the fix. Nothing was
 * sent to Twilio.
 */
public final class InvalidTemplateException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private final String field;

    InvalidTemplateException(String field, String message) {
        super(Objects.requireNonNull(field, "field").isEmpty() ? message : field + ": " + message);
        this.field = field;
    }

    private InvalidTemplateException(String prefix, InvalidTemplateException cause) {
        super(prefix + cause.getMessage(), cause);
        this.field = cause.field;
    }

    /** This error with {@code prefix} (the file or template) before its message. */
    InvalidTemplateException in(String prefix) {
        return new InvalidTemplateException(prefix, this);
    }

    /**
     * The field at fault as a path in the Content API's JSON, e.g.
     * {@code types.twilio/quick-reply.actions[2].title}; empty for an error of the whole file (not JSON).
     */
    public String field() {
        return field;
    }
}
