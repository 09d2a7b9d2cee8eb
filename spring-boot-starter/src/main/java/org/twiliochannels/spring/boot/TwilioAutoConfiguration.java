package org.twiliochannels.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.schedule.QuietHours;

/**
 * The account client and one {@link org.twiliochannels.core.Channel} bean per channel on the class
 * path whose sender is set ({@code smsChannel}, {@code whatsappChannel} …), from the
 * {@code twilio.*} properties. Beans of the user's own of these types win.
 */
@AutoConfiguration
@ConditionalOnClass(TwilioAccount.class)
@ConditionalOnProperty(prefix = "twilio", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TwilioProperties.class)
@Import(ChannelBeanRegistrar.class)
public class TwilioAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    TwilioSettings twilioSettings(TwilioProperties properties, Environment environment) {
        return TwilioSettings.of(properties, environment);
    }

    /** The configuration from the properties; a wrong value fails the start with the doctor's words. */
    @Bean
    @ConditionalOnMissingBean
    TwilioConfig twilioConfig(TwilioSettings settings) {
        return settings.config();
    }

    /**
     * The account client, with every {@link TwilioEventListener} bean, the {@link ConsentLedger}
     * bean that every send checks ({@link TwilioConsentAutoConfiguration}), the application's
     * {@link QuietHours} bean if it defines one, and the WhatsApp windows bean (see
     * {@link TwilioConversationsAutoConfiguration}); closed with the context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TwilioAccount twilioAccount(TwilioConfig config, ObjectProvider<TwilioEventListener> listeners,
                                ObjectProvider<ConsentLedger> ledger, ObjectProvider<QuietHours> quietHours,
                                ObjectProvider<org.twiliochannels.core.whatsapp.SessionWindows> windows) {
        TwilioAccount.Builder b = TwilioAccount.builder(config);
        listeners.orderedStream().forEach(b::listener);
        ledger.ifAvailable(b::consentLedger);
        quietHours.ifAvailable(b::quietHours);
        windows.ifAvailable(b::sessionWindows);
        return b.build();
    }
}
