package org.twiliochannels.spring.boot;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.TwilioAccounts;
import org.twiliochannels.core.TwilioInfrastructure;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;

/**
 * Many accounts, when the application defines an {@link AccountResolver} bean: a
 * {@link TwilioInfrastructure} and {@link TwilioAccounts} on it (every {@link TwilioEventListener}
 * bean given to each account, and the consent ledger, quiet hours and WhatsApp windows beans; the
 * application's {@link Clock} bean, if any, deciding idleness), and
 * a {@link MultiAccountWebhookVerifier} when it also defines a
 * {@link MultiAccountWebhookVerifier.AuthTokens} bean. Independent of {@code twilio.enabled}: a
 * platform with no account of its own sets {@code twilio.enabled=false} and keeps these. The
 * context closes the accounts before the infrastructure. The application's own beans win.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class)
@ConditionalOnClass(TwilioAccounts.class)
@ConditionalOnBean(AccountResolver.class)
@ConditionalOnProperty(prefix = "twilio.accounts", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TwilioAccountsProperties.class)
public class TwilioAccountsAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioAccountsAutoConfiguration() {}

    /** The connections and threads every account shares; closed with the context, after the accounts. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TwilioInfrastructure twilioInfrastructure(TwilioAccountsProperties properties) {
        return TwilioInfrastructure.builder().sendThreads(properties.getSendThreads()).build();
    }

    /**
     * The accounts, opened from the resolver on first use; closed with the context. Each account
     * gets the {@link ConsentLedger}, {@link QuietHours} and {@link SessionWindows} beans, when the
     * application (or {@link TwilioConsentAutoConfiguration}, {@link TwilioConversationsAutoConfiguration})
     * defines them: one ledger serves every account, its scopes name the account.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TwilioAccounts twilioAccounts(AccountResolver resolver, TwilioInfrastructure infrastructure,
                                  TwilioAccountsProperties properties, ObjectProvider<TwilioEventListener> listeners,
                                  ObjectProvider<Clock> clock, ObjectProvider<ConsentLedger> ledger,
                                  ObjectProvider<QuietHours> quietHours, ObjectProvider<SessionWindows> windows) {
        TwilioAccounts.Builder b = TwilioAccounts.builder(resolver, infrastructure).idleAfter(properties.getIdleAfter());
        clock.ifAvailable(b::clock);
        listeners.orderedStream().forEach(b::listener);
        ConsentLedger consent = ledger.getIfAvailable();
        QuietHours hours = quietHours.getIfAvailable();
        SessionWindows sessions = windows.getIfAvailable();
        if (consent != null || hours != null || sessions != null) {
            b.customize((sid, account) -> {
                if (consent != null) {
                    account.consentLedger(consent);
                }
                if (hours != null) {
                    account.quietHours(hours);
                }
                if (sessions != null) {
                    account.sessionWindows(sessions);
                }
            });
        }
        return b.build();
    }

    /** One verifier for the webhooks of every account, with the application's token store. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(MultiAccountWebhookVerifier.AuthTokens.class)
    MultiAccountWebhookVerifier twilioMultiAccountWebhookVerifier(MultiAccountWebhookVerifier.AuthTokens tokens,
            TwilioAccountsProperties properties, ObjectProvider<TwilioEventListener> listeners,
            ObjectProvider<Clock> clock, @Value("${twilio.webhooks.public-base-url:}") String publicBaseUrl) {
        MultiAccountWebhookVerifier.Builder b = MultiAccountWebhookVerifier.builder(tokens)
                .rotationOverlap(properties.getRotationOverlap());
        TwilioWebhookAutoConfiguration.publicBaseUrl(publicBaseUrl).ifPresent(b::publicBaseUrl);
        clock.ifAvailable(b::clock);
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }
}
