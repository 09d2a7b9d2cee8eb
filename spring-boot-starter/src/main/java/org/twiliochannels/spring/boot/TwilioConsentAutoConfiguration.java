package org.twiliochannels.spring.boot;

import java.time.Clock;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * The consent ledger the injected channels check before every request, and what feeds it: a
 * {@link ConsentLedger} bean, {@link ConsentLedger#inMemory()} unless the application (or the
 * outbox's auto-configuration, with its ledger in the database; this one runs after it) defines
 * one; and a listener that records in it the opt-out and opt-in keywords of the verified inbound
 * messages ({@code STOP}, {@code START} … and Twilio's {@code OptOutType}; left to the
 * {@link InboundRouter} bean when there is one, which records them before any handler) and the status
 * callbacks that report error 21610, both published by the webhook endpoint. The account bean
 * ({@link TwilioAutoConfiguration}) is built with this ledger and with the application's
 * {@link org.twiliochannels.core.schedule.QuietHours} bean, if any (else
 * {@link org.twiliochannels.core.schedule.QuietHours#defaults()}).
 *
 * <p>A ledger that cannot record a keyword fails the webhook with 500, so that Twilio delivers it
 * again: an opt-out is not lost.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class, afterName = {
        "org.twiliochannels.spring.boot.TwilioOutboxAutoConfiguration"})
@ConditionalOnClass(TwilioAccount.class)
@ConditionalOnProperty(prefix = "twilio", name = "enabled", matchIfMissing = true)
public class TwilioConsentAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioConsentAutoConfiguration() {}

    /** The ledger in memory of this instance, unless a ledger bean is defined elsewhere. */
    @Bean
    @ConditionalOnMissingBean
    ConsentLedger twilioConsentLedger() {
        return ConsentLedger.inMemory();
    }

    /** Records the keywords and 21610 callbacks the webhook endpoint publishes. */
    @Bean
    @ConditionalOnBean(TwilioAccount.class)
    ConsentFeeder twilioConsentFeeder(ConsentLedger ledger, ObjectProvider<InboundRouter> router) {
        // An inbound router records the keywords itself (before any handler): recording them here too
        // would write each change twice.
        return new ConsentFeeder(ledger, Clock.systemUTC(), router.getIfAvailable() == null);
    }

    /** Feeds the ledger from verified webhooks (repeated deliveries were dropped by the endpoint). */
    static final class ConsentFeeder {
        private final ConsentLedger ledger;
        private final Clock clock;
        private final boolean recordKeywords;

        ConsentFeeder(ConsentLedger ledger, Clock clock, boolean recordKeywords) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            this.clock = Objects.requireNonNull(clock, "clock");
            this.recordKeywords = recordKeywords;
        }

        @EventListener
        void on(InboundMessage message) {
            if (recordKeywords) {
                ConsentChange.of(message, clock.instant()).ifPresent(ledger::record);
            }
        }

        @EventListener
        void on(StatusCallback callback) {
            ConsentChange.of(callback, clock.instant()).ifPresent(ledger::record);
        }
    }
}
