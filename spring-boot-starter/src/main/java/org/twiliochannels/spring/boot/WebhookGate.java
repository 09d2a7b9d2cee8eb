package org.twiliochannels.spring.boot;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;

/**
 * The starter's one use of the verifiers: a request for the configured account is verified with
 * its token; with a {@link MultiAccountWebhookVerifier}, a request for any other account with the
 * token of the account its {@code AccountSid} names (an account the store does not know is
 * rejected). The verifier used tells the event listeners (metrics) whether it was accepted.
 */
final class WebhookGate {
    private final AccountSid ownSid;
    private final WebhookVerifier own;
    private final MultiAccountWebhookVerifier accounts;

    private WebhookGate(AccountSid ownSid, WebhookVerifier own, MultiAccountWebhookVerifier accounts) {
        this.ownSid = ownSid;
        this.own = own;
        this.accounts = accounts;
    }

    /** Verifies requests for the configured account only. */
    WebhookGate(AccountSid accountSid, AuthToken authToken, Optional<URI> publicBaseUrl,
                List<TwilioEventListener> listeners) {
        this(accountSid, verifier(accountSid, authToken, publicBaseUrl, listeners), null);
    }

    /**
     * Verifies requests for {@code own} (the configured account, when there is one) with its
     * token and every other request with {@code accounts}.
     */
    static WebhookGate forAccounts(MultiAccountWebhookVerifier accounts, Optional<WebhookGate> own) {
        Objects.requireNonNull(accounts, "accounts");
        return new WebhookGate(own.map(g -> g.ownSid).orElse(null), own.map(g -> g.own).orElse(null), accounts);
    }

    private static WebhookVerifier verifier(AccountSid accountSid, AuthToken authToken, Optional<URI> publicBaseUrl,
                                            List<TwilioEventListener> listeners) {
        WebhookVerifier.Builder b = WebhookVerifier.builder(accountSid, authToken);
        publicBaseUrl.ifPresent(b::publicBaseUrl);
        listeners.forEach(b::listener);
        return b.build();
    }

    /**
     * The verified webhook.
     *
     * @throws WebhookRejectedException when it fails verification, or names an account not known
     */
    TwilioWebhook verify(WebhookRequest request) {
        if (accounts == null) {
            return own.verify(request);
        }
        if (own != null && request.jsonBody().isEmpty()
                && List.of(ownSid.value()).equals(request.parameters().get("AccountSid"))) {
            return own.verify(request);
        }
        return accounts.verify(request);
    }
}
