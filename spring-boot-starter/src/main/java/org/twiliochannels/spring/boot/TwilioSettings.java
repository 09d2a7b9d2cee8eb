package org.twiliochannels.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.settings.SetupReport;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.TwilioEnvironment;

/**
 * The bound {@code twilio.*} properties handed to the library's own settings
 * ({@link TwilioEnvironment}), so that the doctor checks them with its rules and messages; its
 * findings come back keyed by property name, with the Spring origin of each value (a file and line,
 * an environment variable …) as their source.
 */
final class TwilioSettings {
    private static final Map<String, String> PROPERTY_OF_KEY = new LinkedHashMap<>();

    static {
        PROPERTY_OF_KEY.put(TwilioEnvironment.ACCOUNT_SID, "twilio.account-sid");
        PROPERTY_OF_KEY.put(TwilioEnvironment.AUTH_TOKEN, "twilio.auth-token");
        PROPERTY_OF_KEY.put(TwilioEnvironment.API_KEY, "twilio.api-key");
        PROPERTY_OF_KEY.put(TwilioEnvironment.API_SECRET, "twilio.api-secret");
        PROPERTY_OF_KEY.put(TwilioEnvironment.PHONE_NUMBER, "twilio.phone-number");
        PROPERTY_OF_KEY.put(TwilioEnvironment.MESSAGING_SERVICE_SID, "twilio.messaging-service-sid");
        PROPERTY_OF_KEY.put(TwilioEnvironment.WHATSAPP_FROM, "twilio.whatsapp-from");
        PROPERTY_OF_KEY.put(TwilioEnvironment.STATUS_CALLBACK, "twilio.status-callback");
        PROPERTY_OF_KEY.put(TwilioEnvironment.API_BASE_URL, "twilio.api-base-url");
    }

    private final TwilioProperties properties;
    private final TwilioEnvironment library;
    private final Map<String, String> origins;

    private TwilioSettings(TwilioProperties properties, TwilioEnvironment library, Map<String, String> origins) {
        this.properties = properties;
        this.library = library;
        this.origins = origins;
    }

    /**
     * The settings of {@code properties}; {@code environment} tells where each value came from. Only
     * Spring's sources are read (the library's own reading of the environment and {@code .env} is
     * off: Spring already binds the environment and system properties).
     */
    static TwilioSettings of(TwilioProperties properties, Environment environment) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TwilioEnvironment.ACCOUNT_SID, properties.getAccountSid());
        values.put(TwilioEnvironment.AUTH_TOKEN, properties.getAuthToken());
        values.put(TwilioEnvironment.API_KEY, properties.getApiKey());
        values.put(TwilioEnvironment.API_SECRET, properties.getApiSecret());
        values.put(TwilioEnvironment.PHONE_NUMBER, properties.getPhoneNumber());
        values.put(TwilioEnvironment.MESSAGING_SERVICE_SID, properties.getMessagingServiceSid());
        values.put(TwilioEnvironment.WHATSAPP_FROM, properties.getWhatsappFrom());
        values.put(TwilioEnvironment.STATUS_CALLBACK, properties.getStatusCallback());
        values.put(TwilioEnvironment.API_BASE_URL, properties.getApiBaseUrl());
        TwilioEnvironment.Builder b = TwilioEnvironment.builder().noEnvFile().environment(Map.of())
                .systemProperties(new Properties());
        values.forEach((key, value) -> {
            if (value != null) {
                b.set(key, value);
            }
        });
        Map<String, String> origins = new LinkedHashMap<>();
        for (String property : allProperties()) {
            origin(environment, property).ifPresent(o -> origins.put(property, o));
        }
        return new TwilioSettings(properties, b.read(), origins);
    }

    private static List<String> allProperties() {
        List<String> all = new ArrayList<>(PROPERTY_OF_KEY.values());
        all.addAll(List.of("twilio.connect-timeout", "twilio.read-timeout", "twilio.send-deadline",
                "twilio.retry.max-attempts", "twilio.retry.settle-delay"));
        return all;
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
        return PROPERTY_OF_KEY.getOrDefault(key, key);
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
        properties.getSenders().forEach((channel, sender) -> apply(problems, "twilio.senders." + channel, sender,
                s -> b.sender(channel, s)));
        RetryPolicy.Builder retry = RetryPolicy.builder();
        TwilioProperties.Retry r = properties.getRetry();
        apply(problems, "twilio.retry.max-attempts", r.getMaxAttempts(), retry::maxAttempts);
        apply(problems, "twilio.retry.settle-delay", r.getSettleDelay(), retry::settleDelay);
        if (r.getSettleFromLog() != null) {
            retry.settleFromLog(r.getSettleFromLog());
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
            String property = propertyOf(f.key());
            String source = f.source().equals("code") ? sourceOf(property) : f.source();
            out.add(new Finding(f.severity(), property, source, f.message()));
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
