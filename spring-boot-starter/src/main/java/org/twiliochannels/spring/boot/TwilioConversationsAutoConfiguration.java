package org.twiliochannels.spring.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.outbox.ConversationWorker;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.Question;

/**
 * Conversations and the inbound router. With the outbox: a {@link Conversations} bean from every
 * {@link Question} bean, and a {@link ConversationWorker} that fires due time-outs on this instance
 * ({@code twilio.conversations.worker=false} to fire none here; {@code
 * twilio.conversations.poll-interval}, default 1 s). Always: the WhatsApp {@link SessionWindows}
 * (the database's with the outbox, else this process's), which the account checks before each
 * WhatsApp send. With an {@link InboundRoutes} or a {@link Question} bean: an {@link InboundRouter}
 * built from every {@code InboundRoutes} bean, recording WhatsApp windows and opt-outs (in the
 * {@link ConsentLedger} bean of {@link TwilioConsentAutoConfiguration}), and answering
 * {@code /twilio/inbound} through an {@link InboundMessageHandler}. The application's own beans win.
 */
@AutoConfiguration(after = {TwilioAutoConfiguration.class, TwilioOutboxAutoConfiguration.class,
        TwilioConsentAutoConfiguration.class},
        before = TwilioWebhookAutoConfiguration.class)
@ConditionalOnProperty(prefix = "twilio", name = "enabled", matchIfMissing = true)
public class TwilioConversationsAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioConversationsAutoConfiguration() {}

    /** Conversations on the outbox's database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Conversations.class)
    @ConditionalOnBean(Outbox.class)
    static class OnTheOutbox {
        /** Conversations from every {@link Question} bean; two with one name fail the start naming it. */
        @Bean
        @ConditionalOnMissingBean
        Conversations twilioConversations(Outbox outbox, ObjectProvider<Question> questions) {
            Conversations.Builder b = Conversations.builder(outbox);
            questions.orderedStream().forEach(b::question);
            return b.build();
        }

        /** The WhatsApp windows in the database, shared by every instance. */
        @Bean
        @ConditionalOnMissingBean
        SessionWindows twilioSessionWindows(Conversations conversations) {
            return conversations.sessionWindows();
        }

        /** Fires due time-outs on this instance until the context closes. */
        @Bean(destroyMethod = "close")
        @ConditionalOnProperty(prefix = "twilio.conversations", name = "worker", matchIfMissing = true)
        ConversationWorker twilioConversationWorker(Conversations conversations, Environment environment) {
            Duration poll = Binder.get(environment).bind("twilio.conversations.poll-interval", Duration.class)
                    .orElse(Duration.ofSeconds(1));
            return conversations.startWorker(poll);
        }
    }

    /** Without the outbox: this process's WhatsApp windows. */
    @Bean
    @ConditionalOnMissingBean
    SessionWindows twilioSessionWindowsInMemory() {
        return SessionWindows.inMemory(Clock.systemUTC());
    }

    /** The router, when the application gives rules or questions. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(WithRules.class)
    static class Routing {
        /** The router from every {@link InboundRoutes} bean, with the conversations' open questions. */
        @Bean
        @ConditionalOnMissingBean
        InboundRouter twilioInboundRouter(ConsentLedger ledger, ObjectProvider<InboundRoutes> routes,
                                          ObjectProvider<Conversations> conversations, SessionWindows windows) {
            InboundRouter.Builder b = InboundRouter.builder(ledger).sessionWindows(windows);
            Optional.ofNullable(conversations.getIfAvailable()).ifPresent(c -> b.questions(c.openQuestions()));
            routes.orderedStream().forEach(r -> r.configure(b));
            return b.build();
        }

        /** Answers {@code /twilio/inbound} with the router's TwiML. */
        @Bean
        @ConditionalOnMissingBean
        InboundMessageHandler twilioRouterReplies(InboundRouter router) {
            return message -> Optional.of(router.route(message).twiml());
        }
    }

    /** An {@link InboundRoutes} or a {@link Question} bean is defined. */
    static final class WithRules extends AnyNestedCondition {
        WithRules() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(InboundRoutes.class)
        static final class Routes {}

        @ConditionalOnClass(name = "org.twiliochannels.outbox.Question")
        @ConditionalOnBean(type = "org.twiliochannels.outbox.Question")
        static final class Questions {}
    }
}
