package org.twiliochannels.core.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.internal.Secrets;
import org.twiliochannels.core.internal.Texts;
import org.twiliochannels.core.settings.Keys.Key;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;

/**
 * Twilio settings read from where people keep them, with one precedence: values set in code, then
 * Java system properties, then environment variables, then one {@code .env} file. A blank value
 * counts as not set. {@link #check()} explains every problem at once, each with the key, where its
 * value came from and the fix; {@link #toConfig()} builds the configuration or throws with that
 * same list.
 *
 * <p><b>Which {@code .env} file.</b> Unless one is named with {@link Builder#envFile(Path)}, the
 * first of {@code ./.env} and {@code ./backend/.env} (relative to {@link Builder#directory(Path)},
 * default the working directory) that exists is read, and only that one: when both exist,
 * {@code ./.env} wins and the report says that {@code backend/.env} was not read. The report lists
 * the files looked for and the one read, or where to put one.
 *
 * <p><b>Secrets.</b> No method returns a secret in clear: {@link Setting} shows secrets redacted,
 * and the token and API secret reach the configuration only as {@link AuthToken} and
 * {@link ApiKeySecret}. A value that is, or looks like, a token or API secret (32 letters and
 * digits, or equal to the configured one, also behind zero-width or no-break spaces and full-width
 * forms) is never quoted in a report, exception or {@code toString()}, whatever key it was put in:
 * the report says where it belongs instead. A URL is shown without its user info
 * ({@code http://[user info removed]@host}), a proxy URL without its password.
 *
 * <p><b>Bad input.</b> A value of more than 4096 characters is refused by its length before any
 * other check, and a character outside printable ASCII (a zero-width space, a no-break space, a
 * full-width plus sign or digit) is reported by its Unicode name and position, with the ASCII form
 * to write when that form is accepted.
 *
 * <p><b>Example values.</b> Values copied from Twilio's docs or a setup guide and never replaced
 * ({@code AC1234567890abcdef…}, {@code ACxxxx…}, {@code your_auth_token}, {@code +1234567890},
 * {@code +15558675309}, {@code +15017122661}, Twilio's magic test numbers, {@code example.com}
 * URLs …) are reported as such, for every key.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>meaning</th></tr>
 *   <tr><td>{@code TWILIO_ACCOUNT_SID}</td><td>AC…, required</td></tr>
 *   <tr><td>{@code TWILIO_AUTH_TOKEN}</td><td>the auth token, or else:</td></tr>
 *   <tr><td>{@code TWILIO_API_KEY} + {@code TWILIO_API_SECRET}</td><td>an API key (SK…) and its secret</td></tr>
 *   <tr><td>{@code TWILIO_PHONE_NUMBER}</td><td>the SMS sender, E.164</td></tr>
 *   <tr><td>{@code TWILIO_MESSAGING_SERVICE_SID}</td><td>MG…, an SMS sender instead of a number</td></tr>
 *   <tr><td>{@code TWILIO_WHATSAPP_FROM}</td><td>the WhatsApp sender, whatsapp:+…</td></tr>
 *   <tr><td>{@code TWILIO_<ID>_FROM}</td><td>the sender of channel plug-in {@code <id>}, e.g.
 *       {@code TWILIO_MESSENGER_FROM}</td></tr>
 *   <tr><td>{@code TWILIO_STATUS_CALLBACK}</td><td>default status-callback URL</td></tr>
 *   <tr><td>{@code TWILIO_API_BASE_URL}</td><td>a stand-in for https://api.twilio.com (tests); wins over
 *       region and edge</td></tr>
 *   <tr><td>{@code TWILIO_REGION}, {@code TWILIO_EDGE}</td><td>Twilio's region (us1, ie1, au1) and edge
 *       location (dublin, sydney …)</td></tr>
 *   <tr><td>{@code HTTPS_PROXY}, {@code NO_PROXY}</td><td>a forward proxy and the hosts it is not used for
 *       (read as curl reads them: a name covers its domain, {@code .domain}, {@code *}, ranges such as
 *       {@code 10.0.0.0/8}, ports ignored); the JVM's {@code https.proxyHost}, {@code https.proxyPort},
 *       {@code https.proxyUser}, {@code https.proxyPassword} and {@code http.nonProxyHosts} win when set</td></tr>
 *   <tr><td>{@code TWILIO_PROXY_URL}, {@code TWILIO_PROXY_NO_PROXY}</td><td>the proxy to use
 *       ({@code http://…}, or {@code direct} for none) and the hosts reached directly, as
 *       {@code NO_PROXY} lists them; they win over the JVM's properties and {@code HTTPS_PROXY} /
 *       {@code NO_PROXY}</td></tr>
 * </table>
 *
 * <p>Whether a host is reached directly is decided by {@link org.twiliochannels.core.HttpProxy#bypasses},
 * the same code the transport runs, so the report never says a host is reached directly when it is not.
 */
public final class TwilioEnvironment {
    /** The Account SID. */
    public static final String ACCOUNT_SID = Keys.ACCOUNT_SID;
    /** The auth token. */
    public static final String AUTH_TOKEN = Keys.AUTH_TOKEN;
    /** An API key SID. */
    public static final String API_KEY = Keys.API_KEY;
    /** The API key's secret. */
    public static final String API_SECRET = Keys.API_SECRET;
    /** The SMS sender number. */
    public static final String PHONE_NUMBER = Keys.PHONE_NUMBER;
    /** The Messaging Service SID. */
    public static final String MESSAGING_SERVICE_SID = Keys.MESSAGING_SERVICE_SID;
    /** The WhatsApp sender. */
    public static final String WHATSAPP_FROM = Keys.WHATSAPP_FROM;
    /** The default status-callback URL. */
    public static final String STATUS_CALLBACK = Keys.STATUS_CALLBACK;
    /** The API base URL override. */
    public static final String API_BASE_URL = Keys.API_BASE_URL;
    /** Twilio's region, e.g. {@code ie1}. */
    public static final String REGION = Keys.REGION;
    /** Twilio's edge location, e.g. {@code dublin}. */
    public static final String EDGE = Keys.EDGE;
    /**
     * The forward proxy to use, {@code http://[user:password@]host:port}, or {@code direct} for
     * none; wins over the JVM's {@code https.proxyHost} and over {@code HTTPS_PROXY}.
     */
    public static final String PROXY_URL = Keys.PROXY_URL;
    /**
     * Hosts reached without the proxy, in {@code NO_PROXY}'s syntax; wins over {@code NO_PROXY}
     * and {@code http.nonProxyHosts}.
     */
    public static final String PROXY_NO_PROXY = Keys.PROXY_NO_PROXY;
    /** A forward proxy, {@code http://[user:password@]host:port} (also read as {@code https_proxy}). */
    public static final String HTTPS_PROXY = Keys.HTTPS_PROXY;
    /** Hosts reached without the proxy, comma-separated (also read as {@code no_proxy}). */
    public static final String NO_PROXY = Keys.NO_PROXY;

    /** Every key of the registry, in report order ({@code TWILIO_<ID>_FROM} plug-in senders come on top). */
    public static final List<String> KEYS = Keys.NAMES;

    /**
     * Every key of the registry, in report order, with the names integrations read it under: what
     * an integration (the Spring Boot starter) binds comes from here, so a key added to the
     * registry is read everywhere.
     */
    public static final List<SettingKey> REGISTRY = Keys.ALL.stream().map(k -> new SettingKey(k.name(),
            Optional.ofNullable(k.property()), k.secret(), k.meaning(), k.lowerCase()
                    ? List.of(k.name(), k.name().toLowerCase(java.util.Locale.ROOT)) : List.of(k.name()))).toList();

    /**
     * The JVM system properties read for the forward proxy: {@code https.proxyHost},
     * {@code https.proxyPort}, {@code https.proxyUser}, {@code https.proxyPassword} and
     * {@code http.nonProxyHosts} (see {@link org.twiliochannels.core.HttpProxy#fromSystemProperties}).
     */
    public static final List<String> PROXY_SYSTEM_PROPERTIES = Proxies.PROPERTIES;

    /** The {@code .env} files looked for when none is named, in order, relative to the directory. */
    public static final List<String> DEFAULT_ENV_FILES = EnvFiles.DEFAULT_FILES;

    /**
     * A setting as it may be shown: key, value for display, and where it came from.
     *
     * @param key      the key
     * @param display  the value as read, or a redacted form for a secret and for any value that
     *                 looks like one ({@code "(secret, not shown)"}); a proxy URL without its password,
     *                 any other URL without its user info
     * @param source   {@code code}, {@code system property}, {@code env} or {@code FILE:LINE}
     * @param redacted true when {@code display} is not the value
     */
    public record Setting(String key, String display, String source, boolean redacted) {
        /** Validates the components. */
        public Setting {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(display, "display");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return key + "=" + display + " (" + source + ")";
        }
    }

    /**
     * One key of the registry.
     *
     * @param name        the key as an environment variable or {@code .env} line, e.g. {@code TWILIO_REGION}
     * @param property    its {@code twilio.*} property, e.g. {@code twilio.region}; empty for a key
     *                    only the shell sets ({@code HTTPS_PROXY}, {@code NO_PROXY}), read under its own names
     * @param secret      whether its value is a secret, never shown
     * @param meaning     what it holds
     * @param environment the names it is read under among environment variables, in order
     *                    ({@code HTTPS_PROXY}, then {@code https_proxy})
     */
    public record SettingKey(String name, Optional<String> property, boolean secret, String meaning,
                             List<String> environment) {
        /** Validates the components. */
        public SettingKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(meaning, "meaning");
            environment = List.copyOf(environment);
        }
    }

    private final Map<String, Raw> settings;
    /** The JVM's proxy properties as they were when read. */
    private final Properties systemProperties;
    private final List<Finding> fileFindings;

    private TwilioEnvironment(Map<String, Raw> settings, Properties systemProperties, List<Finding> fileFindings) {
        this.settings = settings;
        this.systemProperties = systemProperties;
        this.fileFindings = fileFindings;
    }

    /**
     * Reads system properties, environment variables and the {@code .env} file, and builds the configuration.
     *
     * @throws ChannelConfigurationException listing every problem, with key, source and fix
     */
    public static TwilioConfig load() {
        return builder().read().toConfig();
    }

    /** A builder to choose the {@code .env} file, set values in code, or supply sources in tests. */
    public static Builder builder() {
        return new Builder();
    }

    /** The setting of {@code key} and its source, if set anywhere; secrets redacted. */
    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(settings.get(key)).map(this::shown);
    }

    /** Every setting found, registry keys first, then plug-in senders; secrets redacted. */
    public List<Setting> settings() {
        return settings.values().stream().map(this::shown).toList();
    }

    /** The auth token, when {@code TWILIO_AUTH_TOKEN} is set and well formed (e.g. to verify webhooks). */
    public Optional<AuthToken> authToken() {
        return Optional.ofNullable(settings.get(AUTH_TOKEN)).flatMap(r -> {
            try {
                return Optional.of(AuthToken.of(r.value()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** True when any Twilio credential is set anywhere. */
    public boolean hasCredentials() {
        return settings.containsKey(ACCOUNT_SID) || settings.containsKey(AUTH_TOKEN) || settings.containsKey(API_KEY);
    }

    /** Checks every setting without any network call. */
    public SetupReport check() {
        return new Checks(settings, systemProperties, fileFindings).report();
    }

    /**
     * {@link #check()}, then, when that found no problem, one API call each to Twilio: the account
     * (credentials accepted, status, trial or full) and the SMS number (owned by the account,
     * SMS-capable). Network failures are reported as such, never as bad credentials.
     */
    public SetupReport checkLive() {
        Checks checked = new Checks(settings, systemProperties, fileFindings);
        SetupReport offline = checked.report();
        if (!offline.ok()) {
            return offline.plus(new SetupReport(List.of(new Finding(Severity.WARNING, "live check", "",
                    "skipped: fix the problems above first."))));
        }
        return offline.plus(LiveCheck.run(checked.builder().build()));
    }

    /**
     * The configuration these settings describe.
     *
     * @throws ChannelConfigurationException listing every problem of {@link #check()}
     */
    public TwilioConfig toConfig() {
        return configBuilder().build();
    }

    /**
     * A configuration builder holding these settings, to adjust timeouts or retries before building.
     *
     * @throws ChannelConfigurationException listing every problem of {@link #check()}
     */
    public TwilioConfig.Builder configBuilder() {
        Checks checked = new Checks(settings, systemProperties, fileFindings);
        SetupReport report = checked.report();
        if (!report.ok()) {
            StringBuilder s = new StringBuilder("The Twilio settings have ").append(report.problems().size())
                    .append(report.problems().size() == 1 ? " problem:" : " problems:");
            for (Finding f : report.problems()) {
                s.append(System.lineSeparator()).append("- ").append(f.key())
                        .append(f.source().isEmpty() ? "" : " (" + f.source() + ")").append(": ").append(f.message());
            }
            throw new ChannelConfigurationException(s.toString());
        }
        return checked.builder();
    }

    /** Never shows a secret or a value that looks like one. */
    @Override
    public String toString() {
        return "TwilioEnvironment" + settings();
    }

    private Setting shown(Raw r) {
        Optional<Key<?>> key = Keys.byName(r.key());
        if (key.map(Key::secret).orElse(false)) {
            return new Setting(r.key(), "(secret, not shown)", r.source(), true);
        }
        if (SecretShapes.looksSecret(r.value(), SecretShapes.configured(settings)) || Secrets.pasted(r.value()).isPresent()) {
            return new Setting(r.key(), "(looks like a secret, not shown)", r.source(), true);
        }
        if (Keys.PROXY_URLS.contains(r.key())) {
            String redacted = Proxies.redact(r.value());
            return new Setting(r.key(), redacted, r.source(), !redacted.equals(r.value()));
        }
        String shown = Texts.withoutUserInfo(r.value());
        return new Setting(r.key(), shown, r.source(), !shown.equals(r.value()));
    }

    /** Chooses the sources of a {@link TwilioEnvironment}. */
    public static final class Builder {
        private final Map<String, Raw> code = new LinkedHashMap<>();
        private Map<String, String> environment;
        private Properties systemProperties;
        private Path directory;
        private Path envFile;
        private boolean noEnvFile;

        private Builder() {}

        /**
         * Sets a value in code; it takes precedence over every other source.
         *
         * @throws IllegalArgumentException for a key that is neither in {@link TwilioEnvironment#KEYS} nor a {@code TWILIO_<ID>_FROM}
         */
        public Builder set(String key, String value) {
            return set(key, value, "code");
        }

        /**
         * Sets a value in code, with where it came from as reports show it (e.g. the file and line
         * of an application's configuration); it takes precedence over every other source.
         *
         * @throws IllegalArgumentException for a key that is neither in {@link TwilioEnvironment#KEYS} nor a {@code TWILIO_<ID>_FROM}
         */
        public Builder set(String key, String value, String source) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
            if (!KEYS.contains(key) && Keys.pluginChannel(key).isEmpty()) {
                throw new IllegalArgumentException("unknown key " + key + "; known keys: " + String.join(", ", KEYS)
                        + ", and TWILIO_<ID>_FROM for the sender of a channel plug-in");
            }
            code.put(key, new Raw(key, value, source));
            return this;
        }

        /**
         * The directory the default {@code .env} files are looked for in (default: the working
         * directory, {@code user.dir}).
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The one {@code .env} file to read, which must exist (default: the first of {@code ./.env}
         * and {@code ./backend/.env} that exists, see {@link TwilioEnvironment}).
         */
        public Builder envFile(Path file) {
            this.envFile = Objects.requireNonNull(file, "file");
            this.noEnvFile = false;
            return this;
        }

        /** Reads no {@code .env} file. */
        public Builder noEnvFile() {
            this.envFile = null;
            this.noEnvFile = true;
            return this;
        }

        /** The environment variables to read (default {@link System#getenv()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /** The system properties to read, including the JVM's proxy properties (default {@link System#getProperties()}). */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /** Reads every source. Never throws for bad values: {@link TwilioEnvironment#check()} reports them. */
        public TwilioEnvironment read() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Properties props = systemProperties != null ? systemProperties : System.getProperties();
            List<Finding> fileFindings = new ArrayList<>();
            EnvFiles.FileValues file = EnvFiles.read(envFile, noEnvFile, directory, fileFindings);
            Map<String, Raw> settings = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>(KEYS);
            List<String> plugins = new ArrayList<>();
            for (String k : code.keySet()) {
                plugins.add(k);
            }
            for (String k : props.stringPropertyNames()) {
                plugins.add(k);
            }
            plugins.addAll(env.keySet());
            plugins.addAll(file.entries().keySet());
            plugins.stream().filter(k -> Keys.pluginChannel(k).isPresent()).filter(k -> EnvFiles.closestKey(k).isEmpty())
                    .distinct().sorted().forEach(keys::add);
            for (String key : keys) {
                boolean lowerCase = Keys.byName(key).map(Key::lowerCase).orElse(false);
                Raw fromCode = code.get(key);
                String v = fromCode == null ? null : fromCode.value();
                String source = fromCode == null ? "code" : fromCode.source();
                if (blank(v)) {
                    v = props.getProperty(key);
                    source = "system property";
                }
                if (blank(v)) {
                    v = env.get(key);
                    source = "env";
                }
                if (blank(v) && lowerCase) {
                    v = env.get(key.toLowerCase(java.util.Locale.ROOT));
                    source = "env " + key.toLowerCase(java.util.Locale.ROOT);
                }
                if (blank(v) && file.entries().containsKey(key)) {
                    v = file.entries().get(key).value();
                    source = file.label() + ":" + file.entries().get(key).line();
                }
                if (!blank(v)) {
                    settings.put(key, new Raw(key, v, source));
                }
            }
            for (String k : plugins) {
                if (k.startsWith("TWILIO_") && !KEYS.contains(k) && Keys.pluginChannel(k).isPresent()) {
                    EnvFiles.closestKey(k).ifPresent(known -> fileFindings.add(new Finding(Severity.WARNING, k, "",
                            "is not a key twilio-channels reads; did you mean " + known + "?")));
                }
            }
            if (file.lookedFor() != null) {
                boolean credentials = settings.containsKey(ACCOUNT_SID) || settings.containsKey(AUTH_TOKEN)
                        || settings.containsKey(API_KEY);
                fileFindings.add(0, new Finding(credentials ? Severity.OK : Severity.WARNING, ".env", "",
                        "no .env file found: looked for " + file.lookedFor() + ". To keep the settings in a file, put"
                                + " lines such as " + ACCOUNT_SID + "=AC… in " + file.suggested() + "."));
            }
            Properties proxyProperties = new Properties();
            for (String name : Proxies.PROPERTIES) {
                String value = props.getProperty(name);
                if (value != null) {
                    proxyProperties.setProperty(name, value);
                }
            }
            return new TwilioEnvironment(settings, proxyProperties,
                    List.copyOf(new java.util.LinkedHashSet<>(fileFindings)));
        }

        private static boolean blank(String v) {
            return v == null || v.isBlank();
        }

    }
}
