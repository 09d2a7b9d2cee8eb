package org.twiliochannels.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.settings.SetupReport;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.TwilioEnvironment;

/**
 * The library's own settings ({@link TwilioEnvironment}) read through Spring's {@link Environment},
 * so that the doctor checks them with its rules and messages. Which keys exist, under which
 * {@code twilio.*} property and which other names, comes from the library's registry
 * ({@link TwilioEnvironment#REGISTRY}): each {@code twilio.*} property with relaxed binding (so
 * {@code TWILIO_REGION} is {@code twilio.region}), {@code HTTPS_PROXY} and {@code NO_PROXY} (and
 * their lower-case forms) and the JVM's {@code https.proxy*} properties under their own names,
 * plug-in senders from {@code twilio.senders.<id>} or {@code TWILIO_<ID>_FROM}. Findings come back
 * keyed by property name, with the Spring origin of each value (a file and line, an environment
 * variable …) as their source.
 */
final class TwilioSettings {
    private static final String SENDERS = "twilio.senders.";

    private final TwilioProperties properties;
    private final TwilioEnvironment library;
    private final Map<String, String> origins;

    private TwilioSettings(TwilioProperties properties, TwilioEnvironment library, Map<String, String> origins) {
        this.properties = properties;
        this.library = library;
        this.origins = origins;
    }

    /**
     * The settings {@code environment} holds, and the starter's own {@code properties}. The
     * library's own reading of the process environment, system properties and {@code .env} is off:
     * Spring's environment already holds the first two, with its own precedence.
     */
    static TwilioSettings of(TwilioProperties properties, Environment environment) {
        TwilioEnvironment.Builder b = TwilioEnvironment.builder().noEnvFile();
        Binder binder = Binder.get(environment);
        Map<String, String> shell = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (TwilioEnvironment.SettingKey key : TwilioEnvironment.REGISTRY) {
            if (key.property().isPresent()) {
                String property = key.property().get();
                binder.bind(property, String.class).ifBound(v -> b.set(key.name(), v,
                        origin(environment, property).orElse(property)));
            } else {
                for (String name : key.environment()) {
                    String v = environment.getProperty(name);
                    if (v != null) {
                        shell.put(name, v);
                    }
                }
            }
        }
        properties.getSenders().forEach((channel, sender) -> b.set(senderKey(channel), sender,
                origin(environment, SENDERS + channel).orElse(SENDERS + channel)));
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> names) {
                    for (String name : names.getPropertyNames()) {
                        if (name.startsWith("TWILIO_") && name.endsWith("_FROM") && !shell.containsKey(name)) {
                            shell.put(name, environment.getProperty(name));
                        }
                    }
                }
            }
        }
        Properties jvm = new Properties();
        for (String name : TwilioEnvironment.PROXY_SYSTEM_PROPERTIES) {
            String v = environment.getProperty(name);
            if (v != null) {
                jvm.setProperty(name, v);
            }
        }
        for (String property : List.of("twilio.connect-timeout", "twilio.read-timeout", "twilio.send-deadline",
                "twilio.retry.max-attempts", "twilio.retry.settle-delay")) {
            origin(environment, property).ifPresent(o -> origins.put(property, o));
        }
        return new TwilioSettings(properties, b.environment(shell).systemProperties(jvm).read(), origins);
    }

    /** {@code TWILIO_GOOGLE_RBM_FROM} for plug-in {@code google-rbm}, as the library names plug-in senders. */
    private static String senderKey(String channel) {
        return "TWILIO_" + channel.toUpperCase(Locale.ROOT).replace('-', '_') + "_FROM";
    }

    /** Where Spring found {@code property}, e.g. {@code class path resource [application.properties] - 3:20}. */
    static Optional<String> origin(Environment environment, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return Optional.of(found.getOrigin() != null ? found.getOrigin().toString()
                        : String.valueOf(source.getUnderlyingSource()));
            }
        }
        return Optional.empty();
    }

    /** The property a library key is bound from, e.g. {@code twilio.account-sid} for {@code TWILIO_ACCOUNT_SID}. */
    static String propertyOf(String key) {
        return TwilioEnvironment.REGISTRY.stream().filter(k -> k.name().equals(key)).findFirst()
                .flatMap(TwilioEnvironment.SettingKey::property).orElse(key);
    }

    /**
     * Whether the sender of channel {@code id} is set: {@code twilio.phone-number} or
     * {@code twilio.messaging-service-sid} for sms, {@code twilio.whatsapp-from} for whatsapp,
     * {@code twilio.senders.<id>} or {@code TWILIO_<ID>_FROM} for a plug-in.
     */
    boolean senderSet(String id) {
        return switch (id) {
            case "sms" -> library.setting(TwilioEnvironment.PHONE_NUMBER).isPresent()
                    || library.setting(TwilioEnvironment.MESSAGING_SERVICE_SID).isPresent();
            case "whatsapp" -> library.setting(TwilioEnvironment.WHATSAPP_FROM).isPresent();
            default -> library.setting(senderKey(id)).isPresent();
        };
    }

    /** True when an Account SID, auth token or API key is set. */
    boolean hasCredentials() {
        return library.hasCredentials();
    }

    /** The doctor's offline check, keyed by property and sourced by Spring origin. */
    SetupReport check() {
        return translate(library.check());
    }

    /** The doctor's check with its two calls to Twilio. */
    SetupReport checkLive() {
        return translate(library.checkLive());
    }

    /**
     * The configuration these settings describe.
     *
     * @throws TwilioSettingsException listing every problem as the doctor words it
     */
    TwilioConfig config() {
        List<Finding> problems = new ArrayList<>(check().problems());
        if (!problems.isEmpty()) {
            throw new TwilioSettingsException(problems);
        }
        TwilioConfig.Builder b = library.configBuilder();
        apply(problems, "twilio.connect-timeout", properties.getConnectTimeout(), b::connectTimeout);
        apply(problems, "twilio.read-timeout", properties.getReadTimeout(), b::readTimeout);
        apply(problems, "twilio.send-deadline", properties.getSendDeadline(), b::sendDeadline);
        RetryPolicy.Builder retry = RetryPolicy.builder();
        TwilioProperties.Retry r = properties.getRetry();
        apply(problems, "twilio.retry.max-attempts", r.getMaxAttempts(), retry::maxAttempts);
        apply(problems, "twilio.retry.settle-delay", r.getSettleDelay(), retry::settleDelay);
        if (r.getSettleFromLog() != null) {
            retry.settleFromLog(r.getSettleFromLog());
        }
        if (r.getRetryAmbiguousFailures() != null) {
            retry.retryAmbiguousFailures(r.getRetryAmbiguousFailures());
        }
        if (!problems.isEmpty()) {
            throw new TwilioSettingsException(problems);
        }
        return b.retryPolicy(retry.build()).build();
    }

    private <T> void apply(List<Finding> problems, String property, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.add(new Finding(SetupReport.Severity.PROBLEM, property, sourceOf(property), e.getMessage()));
        }
    }

    private SetupReport translate(SetupReport report) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : report.findings()) {
            out.add(new Finding(f.severity(), propertyOf(f.key()), f.source(), f.message()));
        }
        return new SetupReport(out);
    }

    private String sourceOf(String property) {
        return origins.getOrDefault(property, "");
    }

    @Override
    public String toString() {
        return "TwilioSettings" + origins.keySet();
    }
}
