package org.twiliochannels.spring.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.TwilioAccount;

/**
 * Registers a {@link Channel} bean named {@code <id>Channel} (qualifier {@code <id>}) for each
 * channel provider on the class path whose sender is set in the properties: {@code sms} when
 * {@code twilio.phone-number} or {@code twilio.messaging-service-sid} is set, {@code whatsapp} when
 * {@code twilio.whatsapp-from} is, a plug-in when {@code twilio.senders.<id>} or {@code TWILIO_<ID>_FROM}
 * is ({@link TwilioSettings#senderSet(String)}). A bean of the same
 * name defined by the application wins.
 */
class ChannelBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        TwilioProperties p = Binder.get(environment).bindOrCreate("twilio", Bindable.of(TwilioProperties.class));
        TwilioSettings settings = TwilioSettings.of(p, environment);
        for (String id : Channels.available(ChannelBeanRegistrar.class.getClassLoader())) {
            if (!settings.senderSet(id)) {
                continue;
            }
            String name = beanName(id);
            if (registry.containsBeanDefinition(name)) {
                LOG.debug("channel bean {} is the application's own", name);
                continue;
            }
            RootBeanDefinition bean = new RootBeanDefinition(Channel.class,
                    () -> beanFactory.getBean(TwilioAccount.class).channel(id));
            bean.addQualifier(new AutowireCandidateQualifier(Qualifier.class, id));
            registry.registerBeanDefinition(name, bean);
        }
    }

    /** {@code smsChannel}, {@code whatsappChannel}, {@code myPlugInChannel} for {@code my-plug-in}. */
    static String beanName(String id) {
        StringBuilder s = new StringBuilder();
        boolean upper = false;
        for (char c : id.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s + "Channel";
    }
}
