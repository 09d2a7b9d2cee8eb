package org.twiliochannels.core.content;

/**
 * Told of every change of a tracked template's WhatsApp approval
 * ({@link TemplateStatusChange#incident()} for a paused or disabled one). Called synchronously on
 * the thread that saw the change: must be fast, must not throw (an exception is logged and ignored).
 * The micrometer module's listener records these as meters.
 */
@FunctionalInterface
public interface TemplateStatusListener {
    /** A template's approval status changed. */
    void statusChanged(TemplateStatusChange change);
}
