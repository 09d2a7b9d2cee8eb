package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.core.content.TemplateStatusListener;
import org.twiliochannels.micrometer.MicrometerTemplateListener;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.TemplateDeployment;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * The starter's WhatsApp templates in a real context against the fake's Content API: the bean,
 * {@code ContentTemplate} beans deployed at start, the poller's schedule (its run called directly,
 * no waiting on the clock) and its thread stopped with the context.
 */
@Timeout(60)
class WhatsAppTemplatesAutoConfigurationTest {
    static final ContentTemplate REMINDER = ContentTemplate.builder("starter_reminder", "en")
            .text("Your appointment is tomorrow.").build();

    private final FakeTwilio twilio = FakeTwilio.start();
    private final ApplicationContextRunner runner = TwilioOutboxAutoConfigurationTest.runner(twilio,
            TwilioMetricsAutoConfiguration.class, TwilioAutoConfiguration.class, TwilioTemplatesAutoConfiguration.class,
            TwilioTemplatesHealthAutoConfiguration.class);

    @AfterEach
    void stopFake() {
        twilio.close();
    }

    @Test
    void deploysTheTemplateBeansAtStartAndEachPollTellsTheListenersMetricsAndHealth() {
        AtomicReference<WhatsAppTemplatesPoller> poller = new AtomicReference<>();
        Set<Thread> before = pollerThreads();
        runner.withUserConfiguration(Definitions.class, Meters.class)
                .withPropertyValues("twilio.templates.deploy-on-start=true").run(context -> {
                    assertNull(context.getStartupFailure());
                    WhatsAppTemplates templates = context.getBean(WhatsAppTemplates.class);
                    ContentSid sid = twilio.contentSid("starter_reminder", "en").orElseThrow();
                    TemplateDeployment d = templates.deployment(REMINDER).orElseThrow();
                    assertEquals(sid, d.sid());
                    assertEquals(TemplateDeployment.Outcome.CREATED, d.outcome());

                    poller.set(context.getBean(WhatsAppTemplatesPoller.class));
                    assertEquals(Optional.of(Duration.ofMinutes(5)), poller.get().scheduledEvery());
                    Set<Thread> started = pollerThreads();
                    started.removeAll(before);
                    assertEquals(1, started.size(), started.toString());
                    assertTrue(started.iterator().next().isDaemon());

                    twilio.templateStatus(sid, ApprovalStatus.PAUSED);
                    poller.get().pollOnce();
                    List<TemplateStatusChange> seen = context.getBean(Changes.class).seen;
                    assertEquals(1, seen.size());
                    assertEquals(ApprovalStatus.PAUSED, seen.get(0).status());
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertEquals(1.0, meters.get(MicrometerTemplateListener.STATUS_CHANGES).tag("status", "paused")
                            .counter().count());
                    assertEquals(1.0, meters.get(MicrometerTemplateListener.INCIDENTS).gauge().value());
                    assertEquals("INCIDENT", context.getBean("whatsappTemplatesHealthIndicator", HealthIndicator.class)
                            .health().getStatus().getCode());
                });
        assertEquals(Optional.empty(), poller.get().scheduledEvery());
        assertEquals(before, pollerThreads());
    }

    @Test
    void withoutDeployOnStartTheTemplateBeansAreLeftAlone() {
        runner.withUserConfiguration(Definitions.class).run(context -> {
            assertFalse(context.getBean(WhatsAppTemplates.class).deployment(REMINDER).isPresent());
            context.getBean(WhatsAppTemplatesPoller.class).pollOnce();
            assertEquals(List.of(), twilio.contentRequests());
        });
    }

    @Test
    void pollEveryZeroSchedulesNoPoll() {
        Set<Thread> before = pollerThreads();
        runner.withPropertyValues("twilio.templates.poll-every=0").run(context -> {
            assertEquals(Optional.empty(), context.getBean(WhatsAppTemplatesPoller.class).scheduledEvery());
            assertEquals(before, pollerThreads());
        });
    }

    @Test
    void theIntervalComesFromTheProperty() {
        runner.withPropertyValues("twilio.templates.poll-every=90s").run(context -> assertEquals(
                Optional.of(Duration.ofSeconds(90)), context.getBean(WhatsAppTemplatesPoller.class).scheduledEvery()));
    }

    @Test
    void aNegativeIntervalStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("twilio.templates.poll-every=-1m").run(context -> assertTrue(
                rootMessage(context.getStartupFailure()).startsWith("twilio.templates.poll-every: must not be negative,"
                        + " was PT-1M;"), rootMessage(context.getStartupFailure())));
    }

    @Test
    void aDeployThatFailsStopsTheStartNamingTheProperty() {
        twilio.failNextContentCreate(Fault.htmlError(400));
        runner.withUserConfiguration(Definitions.class).withPropertyValues("twilio.templates.deploy-on-start=true")
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    assertNotNull(failure);
                    String message = messages(failure);
                    assertTrue(message.contains("twilio.templates.deploy-on-start: the application's 1 WhatsApp"
                            + " templates could not be deployed:"), message);
                });
    }

    @Test
    void theApplicationsOwnTemplatesBeanIsTheOnePolled() {
        runner.withUserConfiguration(WhatsAppTemplatesHealthTest.Templates.class).run(context -> {
            assertEquals(1, context.getBeansOfType(WhatsAppTemplates.class).size());
            assertSame(context.getBean("templates"), context.getBean(WhatsAppTemplates.class));
            assertNotNull(context.getBean(WhatsAppTemplatesPoller.class));
        });
    }

    /** The live poller threads of this JVM (other tests' contexts may still hold some). */
    private static Set<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("twilio-templates-poller") && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    private static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getMessage()).append('\n');
        }
        return s.toString();
    }

    /** The application's template definitions and a listener. */
    @Configuration(proxyBeanMethods = false)
    static class Definitions {
        @Bean
        ContentTemplate reminder() {
            return REMINDER;
        }

        @Bean
        Changes changes() {
            return new Changes();
        }
    }

    /** A listener bean that keeps what it is told. */
    static final class Changes implements TemplateStatusListener {
        final List<TemplateStatusChange> seen = new CopyOnWriteArrayList<>();

        @Override
        public void statusChanged(TemplateStatusChange change) {
            seen.add(change);
        }
    }

    /** A meter registry, as Actuator would give. */
    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
