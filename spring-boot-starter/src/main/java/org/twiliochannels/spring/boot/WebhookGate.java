package org.twiliochannels.spring.boot;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;

/**
 * The starter's one use of {@link WebhookVerifier}: verifies a request and tells the event
 * listeners (metrics) whether it was accepted.
 */
final class WebhookGate {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    private final WebhookVerifier verifier;
    private final List<TwilioEventListener> listeners;

    WebhookGate(AuthToken authToken, Optional<URI> publicBaseUrl, List<TwilioEventListener> listeners) {
        WebhookVerifier.Builder b = WebhookVerifier.builder(authToken);
        publicBaseUrl.ifPresent(b::publicBaseUrl);
        this.verifier = b.build();
        this.listeners = List.copyOf(listeners);
    }

    /**
     * The verified webhook.
     *
     * @param endpoint {@code inbound} or {@code status}: the kind reported when the request is rejected
     * @throws WebhookRejectedException when it fails verification
     */
    TwilioWebhook verify(String endpoint, WebhookRequest request) {
        try {
            TwilioWebhook webhook = verifier.verify(request);
            tell(new WebhookVerified(webhook instanceof InboundMessage ? "inbound" : "status", true, ""));
            return webhook;
        } catch (WebhookRejectedException e) {
            tell(new WebhookVerified(endpoint, false, e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
            throw e;
        }
    }

    private void tell(WebhookVerified event) {
        for (TwilioEventListener l : listeners) {
            try {
                l.webhookVerified(event);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on webhookVerified: {}", l, e.toString());
            }
        }
    }
}
