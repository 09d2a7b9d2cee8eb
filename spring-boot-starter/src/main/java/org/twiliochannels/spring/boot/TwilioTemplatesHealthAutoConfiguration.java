package org.twiliochannels.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * The {@code whatsappTemplates} health contributor, when there is a {@link WhatsAppTemplates} bean
 * (the starter's, {@link TwilioTemplatesAutoConfiguration}, or the application's own): its paused
 * and disabled templates. Off with
 * {@code management.health.whatsapp-templates.enabled=false}.
 */
@AutoConfiguration(after = {TwilioAutoConfiguration.class, TwilioTemplatesAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, WhatsAppTemplates.class})
@ConditionalOnBean(WhatsAppTemplates.class)
@ConditionalOnEnabledHealthIndicator("whatsapp-templates")
public class TwilioTemplatesHealthAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioTemplatesHealthAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(name = "whatsappTemplatesHealthIndicator")
    HealthIndicator whatsappTemplatesHealthIndicator(WhatsAppTemplates templates) {
        return new WhatsAppTemplatesHealthIndicator(templates);
    }
}
