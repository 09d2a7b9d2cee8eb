package org.twiliochannels.core;

import java.util.Objects;

/**
 * {@link TwilioAccounts} could not open an account: its resolver knows no such account, threw, or
 * returned another account's configuration. Nothing was sent; other accounts are not affected.
 * The message says which account and why; the resolver's exception, if any, is the cause.
 */
public class AccountUnavailableException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    private final AccountSid accountSid;

    /** An exception for {@code accountSid} with a message for the user and the cause, if any. */
    public AccountUnavailableException(AccountSid accountSid, String message, Throwable cause) {
        super(message, cause);
        this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
    }

    /** The account that could not be opened. */
    public AccountSid accountSid() {
        return accountSid;
    }
}
