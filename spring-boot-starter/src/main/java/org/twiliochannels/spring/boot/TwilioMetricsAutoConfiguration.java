package org.twiliochannels.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.twiliochannels.micrometer.MicrometerTemplateListener;
import org.twiliochannels.micrometer.MicrometerTwilioListener;

/**
 * Registers {@link MicrometerTwilioListener} (a {@link org.twiliochannels.core.event.TwilioEventListener}
 * that the account picks up) when the application has a {@link MeterRegistry}, with the
 * {@link ObservationRegistry} when there is one; and {@link MicrometerTemplateListener}, which the
 * WhatsApp templates bean picks up.
 */
@AutoConfiguration(before = TwilioAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerTwilioListener.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "twilio", name = {"enabled", "metrics.enabled"}, matchIfMissing = true)
public class TwilioMetricsAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioMetricsAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    MicrometerTwilioListener micrometerTwilioListener(MeterRegistry meters,
                                                      ObjectProvider<ObservationRegistry> observations) {
        return new MicrometerTwilioListener(meters, observations.getIfUnique(() -> ObservationRegistry.NOOP));
    }

    /** The templates' status changes and incidents as meters (a listener the templates bean picks up). */
    @Bean
    @ConditionalOnMissingBean
    MicrometerTemplateListener micrometerTemplateListener(MeterRegistry meters) {
        return new MicrometerTemplateListener(meters);
    }
}
