package org.twiliochannels.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.web.bind.annotation.RestController;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;

/**
 * The verified webhook endpoints, in a Servlet web application with Spring MVC, for the configured
 * account and, when there is a {@link MultiAccountWebhookVerifier} bean (see
 * {@link TwilioAccountsAutoConfiguration}), for every account its token store knows: a request is
 * verified with the token of the account its {@code AccountSid} names, and one for an account the
 * store does not know is answered 403 (with {@code twilio.enabled=false}, only those). Verifying
 * needs the account's auth token (API keys do not sign webhooks): with only an API key configured,
 * set {@code twilio.auth-token} too, or {@code twilio.webhooks.enabled=false}.
 */
@AutoConfiguration(after = {TwilioAutoConfiguration.class, TwilioAccountsAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpServletRequest.class, RestController.class})
@Conditional(TwilioWebhookAutoConfiguration.OneAccountOrMany.class)
@ConditionalOnProperty(prefix = "twilio", name = "webhooks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TwilioProperties.class)
public class TwilioWebhookAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioWebhookAutoConfiguration() {}

    /**
     * The configured account's verifier, and the accounts' verifier when there is one: a request
     * naming the configured account is verified with its token, any other with the accounts'.
     */
    @Bean
    WebhookGate twilioWebhookGate(ObjectProvider<TwilioAccount> account,
                                  ObjectProvider<MultiAccountWebhookVerifier> accounts, TwilioProperties properties,
                                  ObjectProvider<TwilioEventListener> listeners) {
        MultiAccountWebhookVerifier many = accounts.getIfUnique();
        TwilioAccount own = account.getIfUnique();
        if (many == null) {
            return ownGate(Objects.requireNonNull(own, "account"), properties, listeners);
        }
        boolean ownToken = own != null && (own.config().credentials().apiKey().isEmpty()
                || (properties.getAuthToken() != null && !properties.getAuthToken().isBlank()));
        return WebhookGate.forAccounts(many, ownToken ? Optional.of(ownGate(own, properties, listeners))
                : Optional.empty());
    }

    private static WebhookGate ownGate(TwilioAccount account, TwilioProperties properties,
                                       ObjectProvider<TwilioEventListener> listeners) {
        return new WebhookGate(account.config().credentials().accountSid(),
                authToken(account.config().credentials(), properties),
                publicBaseUrl(properties.getWebhooks().getPublicBaseUrl()), listeners.orderedStream().toList());
    }

    /** {@code twilio.webhooks.public-base-url}, empty when not set. */
    static Optional<URI> publicBaseUrl(String base) {
        try {
            return base == null || base.isBlank() ? Optional.empty() : Optional.of(URI.create(base.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("twilio.webhooks.public-base-url \"" + base + "\" is not a URL: "
                    + e.getMessage() + "; give the scheme, host and path prefix Twilio calls, e.g. https://example.com");
        }
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

    /** The configured account (with {@code twilio.enabled} not false), or the accounts' verifier. */
    static final class OneAccountOrMany extends AnyNestedCondition {
        OneAccountOrMany() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(TwilioAccount.class)
        @ConditionalOnProperty(prefix = "twilio", name = "enabled", matchIfMissing = true)
        static final class OneAccount {}

        @ConditionalOnBean(MultiAccountWebhookVerifier.class)
        static final class ManyAccounts {}
    }
}
