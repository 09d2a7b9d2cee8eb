package org.twiliochannels.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RestController;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.event.TwilioEventListener;

/**
 * The verified webhook endpoints, in a Servlet web application with Spring MVC. Verifying needs the
 * account's auth token (API keys do not sign webhooks): with only an API key configured, set
 * {@code twilio.auth-token} too, or {@code twilio.webhooks.enabled=false}.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpServletRequest.class, RestController.class})
@ConditionalOnBean(TwilioAccount.class)
@ConditionalOnProperty(prefix = "twilio", name = {"enabled", "webhooks.enabled"}, matchIfMissing = true)
public class TwilioWebhookAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioWebhookAutoConfiguration() {}

    @Bean
    WebhookGate twilioWebhookGate(TwilioAccount account, TwilioProperties properties,
                                  ObjectProvider<TwilioEventListener> listeners) {
        String base = properties.getWebhooks().getPublicBaseUrl();
        Optional<URI> publicBaseUrl;
        try {
            publicBaseUrl = base == null || base.isBlank() ? Optional.empty() : Optional.of(URI.create(base.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("twilio.webhooks.public-base-url \"" + base + "\" is not a URL: "
                    + e.getMessage() + "; give the scheme, host and path prefix Twilio calls, e.g. https://example.com");
        }
        return new WebhookGate(account.config().credentials().accountSid(),
                authToken(account.config().credentials(), properties), publicBaseUrl,
                listeners.orderedStream().toList());
    }

    @Bean
    RecentDeliveries twilioRecentDeliveries(TwilioProperties properties) {
        return new RecentDeliveries(properties.getWebhooks().getDeduplicationCapacity());
    }

    @Bean
    TwilioWebhookController twilioWebhookController(WebhookGate gate, RecentDeliveries recent,
                                                    ApplicationEventPublisher events,
                                                    ObjectProvider<InboundMessageHandler> handler) {
        return new TwilioWebhookController(gate, recent, events, Optional.ofNullable(handler.getIfUnique()));
    }

    static AuthToken authToken(TwilioCredentials credentials, TwilioProperties properties) {
        String token = properties.getAuthToken();
        if (token != null && !token.isBlank()) {
            return AuthToken.of(token.strip());
        }
        if (credentials.apiKey().isEmpty()) {
            return AuthToken.of(credentials.revealPassword());
        }
        throw new IllegalStateException("twilio.webhooks: verifying Twilio's webhook signatures needs the account's"
                + " auth token, and only an API key is configured (API keys do not sign webhooks): set"
                + " twilio.auth-token (TWILIO_AUTH_TOKEN) too, or twilio.webhooks.enabled=false.");
    }
}
