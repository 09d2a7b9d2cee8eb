package org.twiliochannels.spring.boot;

import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.content.TemplateStatusListener;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * The account's {@link WhatsAppTemplates} (with every {@link TemplateStatusListener} bean), unless
 * the application defines its own; the application's {@link ContentTemplate} beans deployed when it
 * starts with {@code twilio.templates.deploy-on-start=true}; and the approval status of the deployed
 * templates polled every {@code twilio.templates.poll-every} (default 5 minutes, 0 turns it off) on
 * one daemon thread that stops with the context.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class)
@ConditionalOnClass(WhatsAppTemplates.class)
@ConditionalOnSingleCandidate(TwilioAccount.class)
@ConditionalOnProperty(prefix = "twilio", name = "enabled", matchIfMissing = true)
public class TwilioTemplatesAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioTemplatesAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    WhatsAppTemplates whatsappTemplates(TwilioAccount account, ObjectProvider<TemplateStatusListener> listeners) {
        WhatsAppTemplates.Builder b = WhatsAppTemplates.builder(account);
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    WhatsAppTemplatesPoller whatsappTemplatesPoller(WhatsAppTemplates templates, ObjectProvider<ContentTemplate> defined,
                                                    TwilioProperties properties) {
        TwilioProperties.Templates p = properties.getTemplates();
        List<ContentTemplate> deploy = p.isDeployOnStart() ? defined.orderedStream().toList() : List.of();
        Duration every = p.getPollEvery() == null ? Duration.ZERO : p.getPollEvery();
        return new WhatsAppTemplatesPoller(templates, deploy, every);
    }
}
