package org.twiliochannels.outbox;

/** An application's answer or time-out action threw; its exception is the cause. Not thrown to callers. */
final class ActionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ActionFailedException(Exception cause) {
        super(cause.getClass().getName(), cause);
    }
}
