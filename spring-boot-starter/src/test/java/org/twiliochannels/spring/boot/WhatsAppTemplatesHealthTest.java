package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/** The whatsappTemplates health contributor in a real context, a template paused and approved again at the fake. */
@Timeout(60)
class WhatsAppTemplatesHealthTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final ApplicationContextRunner runner = TwilioOutboxAutoConfigurationTest.runner(TWILIO,
            TwilioAutoConfiguration.class, TwilioTemplatesHealthAutoConfiguration.class);

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    @Test
    void upUntilATemplateIsPausedThenAnIncidentNamingItThenUpAgain() {
        ContentTemplate hello = ContentTemplate.builder("starter_health", "en").text("Hello there.").build();
        runner.withUserConfiguration(Templates.class).run(context -> {
            WhatsAppTemplates templates = context.getBean(WhatsAppTemplates.class);
            HealthIndicator health = context.getBean("whatsappTemplatesHealthIndicator", HealthIndicator.class);
            assertEquals(Status.UP, health.health().getStatus());
            ContentSid sid = templates.deploy(hello).sid();
            TWILIO.templateStatus(sid, ApprovalStatus.PAUSED);
            templates.poll();
            Health h = health.health();
            assertEquals("INCIDENT", h.getStatus().getCode());
            assertEquals(Map.of("starter_health (en)", sid + " paused"), h.getDetails());
            TWILIO.templateStatus(sid, ApprovalStatus.APPROVED);
            templates.poll();
            assertEquals(Status.UP, health.health().getStatus());
        });
    }

    @Test
    void offWhenDisabled() {
        runner.withUserConfiguration(Templates.class).withPropertyValues("management.health.whatsapp-templates.enabled=false")
                .run(context -> assertFalse(context.containsBean("whatsappTemplatesHealthIndicator")));
    }

    @Test
    void noContributorWithoutATemplatesBean() {
        runner.run(context -> assertFalse(context.containsBean("whatsappTemplatesHealthIndicator")));
    }

    /** The application's own templates bean. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Templates {
        @org.springframework.context.annotation.Bean
        WhatsAppTemplates templates(TwilioAccount account) {
            return WhatsAppTemplates.builder(account).build();
        }
    }
}
