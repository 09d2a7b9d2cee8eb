package org.twiliochannels.core;

import java.util.Optional;

/**
 * The request may have reached Twilio but no usable answer came back (read timeout, connection
 * lost after the request was written, HTTP 5xx, an unreadable success answer). The message may
 * have been sent: check by SID, in the Console or by status callback before resending, or a
 * recipient may get it twice.
 */
public class DeliveryUnknownException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    /** The advice appended to every message of this type. */
    static final String ADVICE_TEXT = "; the message may have been sent: check by SID or status callback before resending";
    private final transient TwilioError error;
    private final transient SettleQuery settleQuery;

    /**
     * @param message what happened, for the user; the advice to check before resending is appended
     * @param error   Twilio's answer, when it was an HTTP error (5xx)
     * @param cause   the I/O failure, if any
     */
    public DeliveryUnknownException(String message, TwilioError error, Throwable cause) {
        super(message + ADVICE_TEXT, cause);
        this.error = error;
        this.settleQuery = null;
    }

    private DeliveryUnknownException(DeliveryUnknownException e, SettleQuery query) {
        super(e.getMessage(), e.getCause());
        this.error = e.error;
        this.settleQuery = query;
        setStackTrace(e.getStackTrace());
    }

    /** This exception carrying the query that settles it from Twilio's log. */
    public DeliveryUnknownException withSettleQuery(SettleQuery query) {
        return new DeliveryUnknownException(this, java.util.Objects.requireNonNull(query, "query"));
    }

    /**
     * What to look for in Twilio's message log to settle this send later with
     * {@link TwilioAccount#settle(SettleQuery)}: recipient, sender, content and the time window of
     * its attempts. Present for sends made by the library.
     */
    public Optional<SettleQuery> settleQuery() {
        return Optional.ofNullable(settleQuery);
    }

    /** The text appended to every message, for code that rewraps one. */
    public static final String ADVICE = ADVICE_TEXT;

    /** Twilio's answer, when it was an HTTP error such as 503. */
    public Optional<TwilioError> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public boolean mayHaveBeenSent() {
        return true;
    }
}
