package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.outbox.ConversationWorker;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.outbox.Question;
import org.twiliochannels.testing.FakeTwilio;

/** When the router and the conversations are wired, and malformed configuration failing the start naming it. */
@org.junit.jupiter.api.Timeout(30)
class ConversationsWiringTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioAutoConfiguration.class, TwilioOutboxAutoConfiguration.class,
                    TwilioConsentAutoConfiguration.class, TwilioConversationsAutoConfiguration.class,
                    TwilioWebhookAutoConfiguration.class))
            .withPropertyValues("twilio.account-sid=" + TWILIO.accountSid().value(),
                    "twilio.auth-token=" + TWILIO.authToken().revealSecret(),
                    "twilio.api-base-url=" + TWILIO.baseUrl(), "twilio.phone-number=+15005550006",
                    "twilio.outbox.worker=false");

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoHandlersForOneKeyword {
        @Bean
        InboundRoutes first() {
            return r -> r.keyword("YES", e -> InboundReply.none());
        }

        @Bean
        InboundRoutes second() {
            return r -> r.keyword("Yes!", e -> InboundReply.none());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ZeroTimeout {
        @Bean
        Question reminder() {
            return Question.named("reminder").answer("YES", a -> InboundReply.none()).timeout(Duration.ZERO).build();
        }
    }

    @Test
    void withoutRulesThereIsNoRouterButTheAccountKnowsWindows() {
        runner.run(context -> {
            assertTrue(context.getBeansOfType(InboundRouter.class).isEmpty());
            assertTrue(context.getBeansOfType(InboundMessageHandler.class).isEmpty());
            assertEquals(1, context.getBeansOfType(SessionWindows.class).size());
        });
    }

    @Test
    void withTheOutboxTheWindowsAreTheDatabasesAndAWorkerFiresTimeouts() {
        runner.withUserConfiguration(TwilioOutboxAutoConfigurationTest.Database.class).run(context -> {
            Conversations conversations = context.getBean(Conversations.class);
            assertEquals(conversations.sessionWindows(), context.getBean(SessionWindows.class));
            assertEquals(1, context.getBeansOfType(ConversationWorker.class).size());
        });
        runner.withUserConfiguration(TwilioOutboxAutoConfigurationTest.Database.class)
                .withPropertyValues("twilio.conversations.worker=false")
                .run(context -> assertTrue(context.getBeansOfType(ConversationWorker.class).isEmpty()));
    }

    @Test
    void twoHandlersForOneKeywordFailTheStartNamingBoth() {
        runner.withUserConfiguration(TwoHandlersForOneKeyword.class).run(context -> {
            Throwable root = rootCause(context.getStartupFailure());
            assertInstanceOf(IllegalStateException.class, root);
            assertEquals("keyword \"yes\" has two handlers: rule 1 keyword(YES) and rule 2 keyword(Yes!); give each"
                    + " one handler", root.getMessage());
        });
    }

    @Test
    void aTimeoutOfZeroFailsTheStartNamingTheQuestion() {
        runner.withUserConfiguration(TwilioOutboxAutoConfigurationTest.Database.class, ZeroTimeout.class).run(context -> {
            Throwable root = rootCause(context.getStartupFailure());
            assertEquals("question \"reminder\": timeout must be positive, was PT0S; give how long to wait for an"
                    + " answer, e.g. timeout(Duration.ofHours(2))", root.getMessage());
        });
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
