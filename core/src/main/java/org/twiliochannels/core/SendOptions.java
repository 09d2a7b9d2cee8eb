package org.twiliochannels.core;

/**
 * Per-send choices that override the account's {@link RetryPolicy} for one send, and the one
 * explicit way past the account's quiet hours. Immutable.
 *
 * <pre>{@code
 * channel.send(message, SendOptions.defaults().settleFromLog(false));
 * }</pre>
 */
public final class SendOptions {
    private static final SendOptions DEFAULTS = new SendOptions(true, false);

    private final boolean settleFromLog;
    private final boolean overrideQuietHours;

    private SendOptions(boolean settleFromLog, boolean overrideQuietHours) {
        this.settleFromLog = settleFromLog;
        this.overrideQuietHours = overrideQuietHours;
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
        return settle == settleFromLog ? this : new SendOptions(settle, overrideQuietHours);
    }

    /** See {@link #settleFromLog(boolean)}. */
    public boolean settlesFromLog() {
        return settleFromLog;
    }

    /**
     * Sends even when the account's {@link org.twiliochannels.core.schedule.QuietHours} window of
     * the message's category is closed for the recipient (default false: such a send is refused
     * with {@link org.twiliochannels.core.schedule.QuietHoursException}, saying when it opens). For
     * a message the person asked for at this hour; consent is checked all the same.
     */
    public SendOptions overrideQuietHours(boolean override) {
        return override == overrideQuietHours ? this : new SendOptions(settleFromLog, override);
    }

    /** See {@link #overrideQuietHours(boolean)}. */
    public boolean overridesQuietHours() {
        return overrideQuietHours;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendOptions s && s.settleFromLog == settleFromLog && s.overrideQuietHours == overrideQuietHours;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(settleFromLog) * 31 + Boolean.hashCode(overrideQuietHours);
    }

    @Override
    public String toString() {
        return "SendOptions[settleFromLog=" + settleFromLog + ", overrideQuietHours=" + overrideQuietHours + "]";
    }
}
