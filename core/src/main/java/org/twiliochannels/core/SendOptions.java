package org.twiliochannels.core;

/**
 * Per-send choices that override the account's {@link RetryPolicy} for one send. Immutable.
 *
 * <pre>{@code
 * channel.send(message, SendOptions.defaults().settleFromLog(false));
 * }</pre>
 */
public final class SendOptions {
    private static final SendOptions DEFAULTS = new SendOptions(true);

    private final boolean settleFromLog;

    private SendOptions(boolean settleFromLog) {
        this.settleFromLog = settleFromLog;
    }

    /** The account's policy unchanged. */
    public static SendOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Whether an ambiguous failure of this send is settled from Twilio's message log (default
     * true, when the account's {@link RetryPolicy#settleFromLog()} is on too). Off, such a send
     * ends as {@link DeliveryUnknownException} at once, carrying the
     * {@link DeliveryUnknownException#settleQuery() query} to settle it later, e.g. in a batch.
     */
    public SendOptions settleFromLog(boolean settle) {
        return settle == settleFromLog ? this : new SendOptions(settle);
    }

    /** See {@link #settleFromLog(boolean)}. */
    public boolean settlesFromLog() {
        return settleFromLog;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendOptions s && s.settleFromLog == settleFromLog;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(settleFromLog);
    }

    @Override
    public String toString() {
        return "SendOptions[settleFromLog=" + settleFromLog + "]";
    }
}
