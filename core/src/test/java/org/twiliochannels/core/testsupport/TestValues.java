package org.twiliochannels.core.testsupport;

import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioCredentials;

/** Obviously fake credentials and numbers shared by the test suites. */
public final class TestValues {
    /** An Account SID that no account has. */
    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    /** A test-only auth token: never a real one. */
    public static final String AUTH_TOKEN = "feedfacefeedfacefeedfacefeedface";
    /** The SMS sender used in tests. */
    public static final String SMS_FROM = "+15005550006";
    /** A recipient used in tests. */
    public static final String TO = "+14155551234";

    private TestValues() {}

    /** {@link #ACCOUNT_SID} with {@link #AUTH_TOKEN}. */
    public static TwilioCredentials credentials() {
        return TwilioCredentials.of(AccountSid.of(ACCOUNT_SID), AuthToken.of(AUTH_TOKEN));
    }
}
