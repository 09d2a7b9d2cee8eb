package org.twiliochannels.spring.boot;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;

/**
 * The starter's one use of {@link WebhookVerifier}: verifies a request for the configured account;
 * the verifier tells the event listeners (metrics) whether it was accepted.
 */
final class WebhookGate {
    private final WebhookVerifier verifier;

    WebhookGate(AccountSid accountSid, AuthToken authToken, Optional<URI> publicBaseUrl,
                List<TwilioEventListener> listeners) {
        WebhookVerifier.Builder b = WebhookVerifier.builder(accountSid, authToken);
        publicBaseUrl.ifPresent(b::publicBaseUrl);
        listeners.forEach(b::listener);
        this.verifier = b.build();
    }

    /**
     * The verified webhook.
     *
     * @throws WebhookRejectedException when it fails verification
     */
    TwilioWebhook verify(WebhookRequest request) {
        return verifier.verify(request);
    }
}
