package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What authenticates requests to Twilio: the Account SID with either its auth token, or an API
 * key SID with its secret (Twilio's recommendation for production, since a key can be revoked on
 * its own). {@link #toString()} never shows a secret.
 */
public final class TwilioCredentials {
    private final AccountSid accountSid;
    private final AuthToken authToken;
    private final ApiKeySid apiKey;
    private final ApiKeySecret apiKeySecret;

    private TwilioCredentials(AccountSid accountSid, AuthToken authToken, ApiKeySid apiKey, ApiKeySecret apiKeySecret) {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.apiKey = apiKey;
        this.apiKeySecret = apiKeySecret;
    }

    /** Account SID and auth token. */
    public static TwilioCredentials of(AccountSid accountSid, AuthToken authToken) {
        return new TwilioCredentials(Objects.requireNonNull(accountSid, "accountSid"),
                Objects.requireNonNull(authToken, "authToken"), null, null);
    }

    /** An API key of the account ({@code SK…}) and its secret; requests still name the account. */
    public static TwilioCredentials ofApiKey(AccountSid accountSid, ApiKeySid apiKey, ApiKeySecret secret) {
        return new TwilioCredentials(Objects.requireNonNull(accountSid, "accountSid"), null,
                Objects.requireNonNull(apiKey, "apiKey"), Objects.requireNonNull(secret, "secret"));
    }

    /** The account every request is made for. */
    public AccountSid accountSid() {
        return accountSid;
    }

    /** The API key, when these credentials use one. */
    public Optional<ApiKeySid> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** The user name of HTTP Basic authentication: the API key SID, or else the Account SID. */
    public String username() {
        return apiKey != null ? apiKey.value() : accountSid.value();
    }

    /**
     * The password of HTTP Basic authentication in clear: the API key secret or the auth token.
     * For the HTTP transport only.
     */
    public String revealPassword() {
        return apiKey != null ? apiKeySecret.revealSecret() : authToken.revealSecret();
    }

    /** The secret's last four characters behind an ellipsis, for reports. */
    public String maskedSecret() {
        return apiKey != null ? apiKeySecret.maskedTail() : authToken.maskedTail();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwilioCredentials other
                && accountSid.equals(other.accountSid)
                && Objects.equals(authToken, other.authToken)
                && Objects.equals(apiKey, other.apiKey)
                && Objects.equals(apiKeySecret, other.apiKeySecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accountSid, apiKey);
    }

    @Override
    public String toString() {
        return apiKey != null
                ? "TwilioCredentials[accountSid=" + accountSid + ", apiKey=" + apiKey + ", secret=redacted]"
                : "TwilioCredentials[accountSid=" + accountSid + ", authToken=redacted]";
    }
}
