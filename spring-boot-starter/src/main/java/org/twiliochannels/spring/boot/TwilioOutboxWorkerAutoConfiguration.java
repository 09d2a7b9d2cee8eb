package org.twiliochannels.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twiliochannels.micrometer.OutboxWorkerMetrics;
import org.twiliochannels.spring.boot.TwilioOutboxAutoConfiguration.OutboxWorkerLifecycle;

/**
 * What the context's outbox worker reports, when one runs ({@code twilio.outbox.worker} not false):
 * the {@code outbox} health contributor with Actuator ({@code management.health.outbox.enabled=false}
 * turns it off), and the meters of {@link OutboxWorkerMetrics} when there is a {@link MeterRegistry}
 * ({@code twilio.metrics.enabled=false} turns them off).
 */
@AutoConfiguration(after = {TwilioOutboxAutoConfiguration.class, TwilioMetricsAutoConfiguration.class}, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = "org.twiliochannels.outbox.Outbox")
@ConditionalOnBean(OutboxWorkerLifecycle.class)
public class TwilioOutboxWorkerAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioOutboxWorkerAutoConfiguration() {}

    /** The {@code outbox} health contributor. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("outbox")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "outboxHealthIndicator")
        HealthIndicator outboxHealthIndicator(OutboxWorkerLifecycle worker) {
            return new OutboxHealthIndicator(worker::health);
        }
    }

    /** The worker's meters on the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, OutboxWorkerMetrics.class})
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(prefix = "twilio", name = {"enabled", "metrics.enabled"}, matchIfMissing = true)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        OutboxWorkerMetrics twilioOutboxWorkerMetrics(OutboxWorkerLifecycle worker, MeterRegistry registry) {
            OutboxWorkerMetrics metrics = OutboxWorkerMetrics.of(worker::health, Tags.empty());
            metrics.bindTo(registry);
            return metrics;
        }
    }
}
