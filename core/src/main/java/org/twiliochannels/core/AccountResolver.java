package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The application's own store of its customers' accounts, asked by {@link TwilioAccounts} for the
 * configuration of an account the first time it is used (and again at
 * {@link TwilioAccounts#refresh}). Typically reads the subaccount's credentials and senders from
 * the application's database or secret store.
 *
 * <p>Empty means "no such account here": its sends fail as not sent with
 * {@link AccountUnavailableException}. A resolver may throw (its store is down): that account's
 * sends fail the same way, with the exception as the cause, and the next use asks again. It must
 * return the configuration of the account it was asked for; another account's is refused.
 */
@FunctionalInterface
public interface AccountResolver {
    /** The configuration of {@code accountSid}, or empty when the application knows no such account. */
    Optional<TwilioConfig> resolve(AccountSid accountSid) throws Exception;

    /**
     * Where an account's credentials come from, for {@link #withCredentials}. Empty when the
     * application knows no such account.
     */
    @FunctionalInterface
    interface CredentialsStore {
        /** The credentials of {@code accountSid}, or empty. */
        Optional<TwilioCredentials> credentials(AccountSid accountSid) throws Exception;
    }

    /**
     * A resolver giving every account {@code base}'s settings (timeouts, retry policy, senders,
     * status callback …) with its own credentials from {@code store}: subaccounts of one platform
     * that differ only in credentials.
     */
    static AccountResolver withCredentials(TwilioConfig base, CredentialsStore store) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(store, "store");
        return sid -> store.credentials(sid).map(c -> base.newBuilder().credentials(c).build());
    }
}
