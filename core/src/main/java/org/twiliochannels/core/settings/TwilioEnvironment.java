package org.twiliochannels.core.settings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.settings.Examples.Example;
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
 * digits, or equal to the configured one) is never quoted in a report, exception or
 * {@code toString()}, whatever key it was put in: the report says where it belongs instead.
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
 *   <tr><td>{@code HTTPS_PROXY}, {@code NO_PROXY}</td><td>a forward proxy and the hosts it is not used for;
 *       the JVM's {@code https.proxyHost}, {@code https.proxyPort}, {@code https.proxyUser},
 *       {@code https.proxyPassword} and {@code http.nonProxyHosts} win when set</td></tr>
 * </table>
 */
public final class TwilioEnvironment {
    /** The Account SID. */
    public static final String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    /** The auth token. */
    public static final String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    /** An API key SID. */
    public static final String API_KEY = "TWILIO_API_KEY";
    /** The API key's secret. */
    public static final String API_SECRET = "TWILIO_API_SECRET";
    /** The SMS sender number. */
    public static final String PHONE_NUMBER = "TWILIO_PHONE_NUMBER";
    /** The Messaging Service SID. */
    public static final String MESSAGING_SERVICE_SID = "TWILIO_MESSAGING_SERVICE_SID";
    /** The WhatsApp sender. */
    public static final String WHATSAPP_FROM = "TWILIO_WHATSAPP_FROM";
    /** The default status-callback URL. */
    public static final String STATUS_CALLBACK = "TWILIO_STATUS_CALLBACK";
    /** The API base URL override. */
    public static final String API_BASE_URL = "TWILIO_API_BASE_URL";
    /** Twilio's region, e.g. {@code ie1}. */
    public static final String REGION = "TWILIO_REGION";
    /** Twilio's edge location, e.g. {@code dublin}. */
    public static final String EDGE = "TWILIO_EDGE";
    /** A forward proxy, {@code http://[user:password@]host:port} (also read as {@code https_proxy}). */
    public static final String HTTPS_PROXY = "HTTPS_PROXY";
    /** Hosts reached without the proxy, comma-separated (also read as {@code no_proxy}). */
    public static final String NO_PROXY = "NO_PROXY";

    /** Every key of the registry, in report order ({@code TWILIO_<ID>_FROM} plug-in senders come on top). */
    public static final List<String> KEYS = Keys.ALL.stream().map(Key::name).toList();

    /** The {@code .env} files looked for when none is named, in order, relative to the directory. */
    public static final List<String> DEFAULT_ENV_FILES = List.of(".env", "backend/.env");

    private static final Set<String> KNOWN_REGIONS = Set.of("us1", "ie1", "au1");
    private static final Set<String> KNOWN_EDGES = Set.of("ashburn", "dublin", "frankfurt", "sao-paulo", "singapore",
            "sydney", "tokyo", "umatilla", "roaming");

    /**
     * A setting as it may be shown: key, value for display, and where it came from.
     *
     * @param key      the key
     * @param display  the value as read, or a redacted form for a secret and for any value that
     *                 looks like one ({@code "(secret, not shown)"}); a proxy URL without its password
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

    /** A value as read; never printed. */
    private record Raw(String key, String value, String source) {
        @Override
        public String toString() {
            return key + " (" + source + ")";
        }
    }

    private final Map<String, Raw> settings;
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
        return new Checked().report();
    }

    /**
     * {@link #check()}, then, when that found no problem, one API call each to Twilio: the account
     * (credentials accepted, status, trial or full) and the SMS number (owned by the account,
     * SMS-capable). Network failures are reported as such, never as bad credentials.
     */
    public SetupReport checkLive() {
        Checked checked = new Checked();
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
        Checked checked = new Checked();
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
        if (SecretShapes.looksSecret(r.value(), configuredSecrets())) {
            return new Setting(r.key(), "(looks like a secret, not shown)", r.source(), true);
        }
        if (r.key().equals(HTTPS_PROXY)) {
            String redacted = Proxies.redact(r.value());
            return new Setting(r.key(), redacted, r.source(), !redacted.equals(r.value()));
        }
        return new Setting(r.key(), r.value(), r.source(), false);
    }

    private List<String> configuredSecrets() {
        List<String> out = new ArrayList<>();
        for (String k : List.of(AUTH_TOKEN, API_SECRET)) {
            Raw r = settings.get(k);
            if (r != null) {
                out.add(r.value().strip());
            }
        }
        return out;
    }

    /** The API host requests go to with this region and edge, as Twilio's SDK builds it. */
    static String apiHost(String region, String edge) {
        String r = region == null && edge != null ? "us1" : region;
        return "https://api" + (edge == null ? "" : "." + edge) + (r == null ? "" : "." + r) + ".twilio.com";
    }

    /** One pass of checks over the registry: the findings and the parsed values. */
    private final class Checked {
        private final List<Finding> out = new ArrayList<>(fileFindings);
        private final Map<String, Object> parsed = new HashMap<>();
        private final Map<String, String> pluginSenders = new TreeMap<>();
        private final List<String> secrets = configuredSecrets();
        private HttpProxy proxy;

        Checked() {
            boolean apiKey = has(API_KEY) || has(API_SECRET);
            for (Key<?> key : Keys.ALL) {
                if (!has(key.name())) {
                    continue;
                }
                if (key == Keys.TOKEN && apiKey) {
                    add(Severity.WARNING, AUTH_TOKEN, source(AUTH_TOKEN), "ignored: the API key and secret are used"
                            + " instead. Remove one of the two to avoid confusion.");
                    continue;
                }
                vet(key);
            }
            credentials(apiKey);
            senders();
            apiHostAndRegion(apiKey);
            proxy();
        }

        SetupReport report() {
            return new SetupReport(out);
        }

        private void vet(Key<?> key) {
            String v = settings.get(key.name()).value();
            String source = source(key.name());
            if (!key.secret() && SecretShapes.looksSecret(v, secrets)) {
                problem(key.name(), source, SecretShapes.MESSAGE + " " + key.name() + " takes " + key.meaning() + " ("
                        + key.example() + "). " + key.fix());
                return;
            }
            Optional<Example> example = Examples.find(key.name(), v);
            if (example.isPresent() && example.get().severity() == Severity.PROBLEM) {
                problem(key.name(), source, Examples.message(example.get(), key.fix()));
                return;
            }
            try {
                Object value = key.parse().apply(v);
                parsed.put(key.name(), value);
                if (example.isPresent()) {
                    add(Severity.WARNING, key.name(), source, Examples.message(example.get(), key.fix()));
                } else {
                    add(Severity.OK, key.name(), source, key.shown(value));
                }
            } catch (IllegalArgumentException e) {
                problem(key.name(), source, e.getMessage());
            }
        }

        private void credentials(boolean apiKey) {
            if (!has(ACCOUNT_SID)) {
                problem(ACCOUNT_SID, "", "is not set. " + Keys.ACCOUNT.fix());
            }
            if (apiKey) {
                if (!has(API_KEY)) {
                    problem(API_KEY, "", API_SECRET + " is set but " + API_KEY + " is not: set the API key SID (SK…)"
                            + " that the secret belongs to (Twilio Console > Account > API keys & tokens).");
                } else if (!has(API_SECRET)) {
                    problem(API_SECRET, "", API_KEY + " is set but " + API_SECRET + " is not: an API key needs its"
                            + " secret, shown once when the key was created; if it is lost, create a new key.");
                }
            } else if (!has(AUTH_TOKEN)) {
                problem(AUTH_TOKEN, "", "is not set. " + Keys.TOKEN.fix() + " For an API key, set " + API_KEY
                        + " and " + API_SECRET + " instead.");
            }
        }

        private void senders() {
            Optional<PhoneNumber> sms = value(Keys.PHONE);
            Optional<MessagingServiceSid> service = value(Keys.SERVICE);
            Optional<WhatsAppAddress> whatsapp = value(Keys.WHATSAPP);
            whatsapp.filter(WhatsAppAddress::isSandbox).ifPresent(w -> add(Severity.WARNING, WHATSAPP_FROM,
                    source(WHATSAPP_FROM), "is Twilio's WhatsApp sandbox: only numbers that joined it receive (each"
                            + " recipient sends 'join <your sandbox code>' to +1 415 523 8886; code under Twilio Console"
                            + " > Messaging > Try it out > Send a WhatsApp message). Use your own WhatsApp sender in"
                            + " production."));
            if (sms.isPresent() && service.isPresent()) {
                add(Severity.WARNING, PHONE_NUMBER, source(PHONE_NUMBER), "is not used for SMS because "
                        + MESSAGING_SERVICE_SID + " is set; the Messaging Service picks the sender.");
            }
            for (Raw r : settings.values()) {
                Keys.pluginChannel(r.key()).ifPresent(channel -> plugin(r, channel));
            }
            boolean anySet = has(PHONE_NUMBER) || has(MESSAGING_SERVICE_SID) || has(WHATSAPP_FROM)
                    || settings.keySet().stream().anyMatch(k -> Keys.pluginChannel(k).isPresent());
            boolean senderProblem = has(PHONE_NUMBER) && sms.isEmpty() || has(MESSAGING_SERVICE_SID) && service.isEmpty()
                    || has(WHATSAPP_FROM) && whatsapp.isEmpty();
            if (!anySet) {
                problem("sender", "", "no sender is set: set " + PHONE_NUMBER + " (an SMS-capable number of your"
                        + " account, Twilio Console > Phone Numbers > Active numbers) and/or " + WHATSAPP_FROM
                        + " (whatsapp:+…).");
            } else if (!senderProblem) {
                StringBuilder s = new StringBuilder("sms ").append(sms.isPresent() || service.isPresent() ? "ready"
                        : "not set up").append(", whatsapp ").append(whatsapp.isPresent() ? "ready" : "not set up");
                pluginSenders.keySet().forEach(id -> s.append(", ").append(id).append(" ready"));
                add(Severity.OK, "channels", "", s.toString());
            }
        }

        private void plugin(Raw r, String channel) {
            if (SecretShapes.looksSecret(r.value(), secrets)) {
                problem(r.key(), r.source(), SecretShapes.MESSAGE + " " + r.key() + " takes the sender of channel"
                        + " plug-in \"" + channel + "\".");
                return;
            }
            if (Examples.find(r.key(), r.value()).isPresent()) {
                problem(r.key(), r.source(), Examples.message(Examples.find(r.key(), r.value()).get(),
                        "Give the sender of channel plug-in \"" + channel + "\" as the plug-in documents it."));
                return;
            }
            pluginSenders.put(channel, r.value().strip());
            add(Severity.OK, r.key(), r.source(), "sender of channel plug-in \"" + channel + "\": " + r.value().strip());
            List<String> found;
            try {
                found = Channels.available();
            } catch (RuntimeException e) {
                return; // discovery problems are reported when a channel is opened
            }
            if (!found.contains(channel)) {
                add(Severity.WARNING, r.key(), r.source(), "no channel plug-in \"" + channel + "\" is on the class"
                        + " path (found: " + String.join(", ", found) + "): add the plug-in's jar, or remove " + r.key()
                        + ".");
            }
        }

        private void apiHostAndRegion(boolean apiKey) {
            Optional<String> region = value(Keys.REGION_KEY);
            Optional<String> edge = value(Keys.EDGE_KEY);
            region.filter(r -> !KNOWN_REGIONS.contains(r)).ifPresent(r -> add(Severity.WARNING, REGION, source(REGION),
                    "\"" + r + "\" is not one of Twilio's regions known here (us1, ie1, au1): check the spelling."));
            edge.filter(e -> !KNOWN_EDGES.contains(e)).ifPresent(e -> add(Severity.WARNING, EDGE, source(EDGE),
                    "\"" + e + "\" is not one of Twilio's edge locations known here (" + String.join(", ",
                            new java.util.TreeSet<>(KNOWN_EDGES)) + "): check the spelling."));
            Optional<URI> base = value(Keys.BASE_URL);
            if (base.isPresent()) {
                add(Severity.WARNING, API_BASE_URL, source(API_BASE_URL), "requests go to " + base.get()
                        + " instead of Twilio; unset it to send real messages.");
                if (region.isPresent() || edge.isPresent()) {
                    add(Severity.WARNING, region.isPresent() ? REGION : EDGE, source(region.isPresent() ? REGION : EDGE),
                            "ignored: " + API_BASE_URL + " is set and wins over region and edge.");
                }
                add(Severity.OK, "api host", "", base.get().toString());
            } else if (has(API_BASE_URL)) {
                return; // its problem is already reported
            } else {
                add(Severity.OK, "api host", "", apiHost(region.orElse(null), edge.orElse(null))
                        + (region.isEmpty() && edge.isEmpty() ? " (Twilio's default region, us1)" : ""));
            }
            if (apiKey && has(API_KEY) && region.isPresent() && base.isEmpty()) {
                add(Severity.WARNING, API_KEY, source(API_KEY), "is used with region " + region.get() + ": API keys"
                        + " belong to one region, so make sure this key was created in region " + region.get()
                        + " (Twilio Console, with that region selected); a key of another region fails with 20003.");
            }
        }

        private void proxy() {
            Optional<HttpProxy> jvm;
            try {
                jvm = Proxies.fromSystemProperties(systemProperties);
            } catch (IllegalArgumentException e) {
                problem("proxy", "system property " + Proxies.HOST_PROPERTY, e.getMessage());
                return;
            }
            Optional<HttpProxy> fromVariable = value(Keys.PROXY);
            String source;
            if (jvm.isPresent()) {
                proxy = jvm.get();
                source = "system property " + Proxies.HOST_PROPERTY;
                if (has(HTTPS_PROXY)) {
                    add(Severity.WARNING, HTTPS_PROXY, source(HTTPS_PROXY), "ignored: the JVM's "
                            + Proxies.HOST_PROPERTY + " is set and wins.");
                }
            } else if (fromVariable.isPresent()) {
                proxy = fromVariable.get();
                source = source(HTTPS_PROXY);
                Optional<List<String>> noProxy = value(Keys.NO_PROXY_KEY);
                if (noProxy.isPresent()) {
                    proxy = proxy.withNonProxyHosts(noProxy.get());
                }
            } else {
                if (!has(HTTPS_PROXY)) {
                    add(Severity.OK, "proxy", "", "none: direct connections");
                }
                return;
            }
            String target = value(Keys.BASE_URL).map(URI::getHost).orElseGet(() -> URI.create(apiHost(
                    value(Keys.REGION_KEY).orElse(null), value(Keys.EDGE_KEY).orElse(null))).getHost());
            add(Severity.OK, "proxy", source, Proxies.describe(proxy) + (Proxies.bypasses(proxy.nonProxyHosts(), target)
                    ? "; not used for " + target + ", which is listed as reached directly" : ""));
        }

        TwilioConfig.Builder builder() {
            TwilioConfig.Builder b = TwilioConfig.builder();
            AccountSid sid = value(Keys.ACCOUNT).orElseThrow();
            if (has(API_KEY)) {
                b.credentials(TwilioCredentials.ofApiKey(sid, value(Keys.KEY).orElseThrow(),
                        value(Keys.SECRET).orElseThrow()));
            } else {
                b.credentials(sid, value(Keys.TOKEN).orElseThrow());
            }
            for (Key<?> key : Keys.ALL) {
                Object v = parsed.get(key.name());
                if (v != null) {
                    key.applyTo(b, v);
                }
            }
            if (proxy != null) {
                b.proxy(proxy);
            }
            pluginSenders.forEach(b::sender);
            return b;
        }

        private <T> Optional<T> value(Key<T> key) {
            return Optional.ofNullable(parsed.get(key.name())).map(key::cast);
        }

        private void add(Severity severity, String key, String source, String message) {
            out.add(new Finding(severity, key, source, message));
        }

        private void problem(String key, String source, String message) {
            add(Severity.PROBLEM, key, source, message);
        }
    }

    private boolean has(String key) {
        return settings.containsKey(key);
    }

    private String source(String key) {
        Raw r = settings.get(key);
        return r == null ? "" : r.source();
    }

    /** Chooses the sources of a {@link TwilioEnvironment}. */
    public static final class Builder {
        private final Map<String, String> code = new LinkedHashMap<>();
        private Map<String, String> environment;
        private Properties systemProperties;
        private Path directory;
        private Path envFile;
        private boolean noEnvFile;

        private Builder() {}

        /**
         * Sets a value in code; it takes precedence over every other source.
         *
         * @throws IllegalArgumentException for a key that is neither in {@link #KEYS} nor a {@code TWILIO_<ID>_FROM}
         */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!KEYS.contains(key) && Keys.pluginChannel(key).isEmpty()) {
                throw new IllegalArgumentException("unknown key " + key + "; known keys: " + String.join(", ", KEYS)
                        + ", and TWILIO_<ID>_FROM for the sender of a channel plug-in");
            }
            code.put(key, value);
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
            FileValues file = readFile(fileFindings);
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
            plugins.stream().filter(k -> Keys.pluginChannel(k).isPresent()).filter(k -> closestKey(k).isEmpty())
                    .distinct().sorted().forEach(keys::add);
            for (String key : keys) {
                boolean lowerCase = Keys.byName(key).map(Key::lowerCase).orElse(false);
                String v = code.get(key);
                String source = "code";
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
                    closestKey(k).ifPresent(known -> fileFindings.add(new Finding(Severity.WARNING, k, "",
                            "is not a key twilio-channels reads; did you mean " + known + "?")));
                }
            }
            if (file.lookedFor() != null) {
                boolean credentials = settings.containsKey(ACCOUNT_SID) || settings.containsKey(AUTH_TOKEN)
                        || settings.containsKey(API_KEY);
                fileFindings.add(0, new Finding(credentials ? Severity.OK : Severity.WARNING, ".env", "",
                        "no .env file found: looked for " + file.lookedFor() + ". To keep the settings in a file, put"
                                + " lines such as TWILIO_ACCOUNT_SID=AC… in " + file.suggested() + "."));
            }
            return new TwilioEnvironment(settings, props, List.copyOf(new java.util.LinkedHashSet<>(fileFindings)));
        }

        /** What was read from a {@code .env} file, under which label; or where none was found. */
        private record FileValues(Map<String, DotEnv.Entry> entries, String label, String lookedFor, Path suggested) {}

        private FileValues readFile(List<Finding> findings) {
            if (noEnvFile) {
                return new FileValues(Map.of(), "", null, null);
            }
            if (envFile != null) {
                return readOne(envFile, envFile.toString(), true, findings, "").orElseGet(
                        () -> new FileValues(Map.of(), "", null, null));
            }
            Path dir = (directory != null ? directory : Path.of("")).toAbsolutePath().normalize();
            List<Path> candidates = DEFAULT_ENV_FILES.stream().map(dir::resolve).toList();
            String lookedFor = String.join(" and ", candidates.stream().map(Path::toString).toList());
            FileValues read = null;
            for (int i = 0; i < candidates.size(); i++) {
                Path candidate = candidates.get(i);
                String label = DEFAULT_ENV_FILES.get(i);
                if (read == null) {
                    Optional<FileValues> r = readOne(candidate, label, false, findings, "; looked for " + lookedFor
                            + ", the first one found is read");
                    if (r.isPresent()) {
                        read = r.get();
                    }
                } else if (Files.exists(candidate)) {
                    findings.add(new Finding(Severity.WARNING, ".env", label, "not read: " + read.label() + " was found"
                            + " first and only one .env file is read; move these values into " + dir.resolve(read.label())
                            + ", or delete one of the two files."));
                }
            }
            return read != null ? read : new FileValues(Map.of(), "", lookedFor, candidates.get(0));
        }

        private Optional<FileValues> readOne(Path file, String label, boolean named, List<Finding> findings,
                                             String lookedFor) {
            Path absolute = file.toAbsolutePath().normalize();
            try {
                DotEnv.Result r = DotEnv.parse(Files.readAllBytes(file));
                findings.add(new Finding(Severity.OK, ".env", label, "read " + r.entries().size() + " values from "
                        + absolute + lookedFor));
                for (DotEnv.Problem p : r.problems()) {
                    findings.add(new Finding(Severity.PROBLEM, ".env", label + ":" + p.line(), p.message()));
                }
                for (String k : r.entries().keySet()) {
                    if (Keys.pluginChannel(k).isEmpty()) {
                        closestKey(k).ifPresent(known -> findings.add(new Finding(Severity.WARNING, k,
                                label + ":" + r.entries().get(k).line(), "is not a key twilio-channels reads;"
                                        + " did you mean " + known + "?")));
                    }
                }
                return Optional.of(new FileValues(r.entries(), label, null, null));
            } catch (NoSuchFileException e) {
                if (named) {
                    findings.add(new Finding(Severity.PROBLEM, ".env", label, "file not found: " + absolute));
                }
                return Optional.empty();
            } catch (IOException e) {
                findings.add(new Finding(Severity.PROBLEM, ".env", label, "cannot be read: " + e));
                return Optional.empty();
            }
        }

        private static boolean blank(String v) {
            return v == null || v.isBlank();
        }

        /** The registry key {@code key} is a likely misspelling of, for keys starting with {@code TWILIO_}. */
        private static Optional<String> closestKey(String key) {
            if (!key.startsWith("TWILIO_") || KEYS.contains(key)) {
                return Optional.empty();
            }
            int limit = Keys.pluginChannel(key).isPresent() ? 2 : 3;
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String known : KEYS) {
                int d = distance(key, known);
                if (d < bestDistance) {
                    best = known;
                    bestDistance = d;
                }
            }
            return bestDistance <= limit ? Optional.of(best) : Optional.empty();
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
