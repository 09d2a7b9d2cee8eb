package org.twiliochannels.spring.boot;

import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code twilio} health contributor: the doctor's offline checks of the properties, or with
 * {@code twilio.health.live=true} also its account and number look-ups at Twilio, cached for
 * {@code twilio.health.cache-for}.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TwilioSettings.class)
@ConditionalOnEnabledHealthIndicator("twilio")
public class TwilioHealthAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioHealthAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(name = "twilioHealthIndicator")
    HealthIndicator twilioHealthIndicator(TwilioSettings settings, TwilioProperties properties) {
        return new TwilioHealthIndicator(settings, properties.getHealth().isLive(),
                properties.getHealth().getCacheFor(), Clock.systemUTC());
    }
}
