package org.twiliochannels.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.twiliochannels.core.SetupReport.Finding;
import org.twiliochannels.core.SetupReport.Severity;
import org.twiliochannels.core.internal.DotEnv;
import org.twiliochannels.core.internal.LiveCheck;

/**
 * Twilio settings read from where people keep them, with one precedence: values set in code, then
 * Java system properties, then environment variables, then a {@code .env} file ({@code ./.env}
 * unless another is named). A blank value counts as not set. {@link #check()} explains every
 * problem at once, each with the key, where its value came from and the fix; {@link #toConfig()}
 * builds the configuration or throws with that same list.
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
 *   <tr><td>{@code TWILIO_STATUS_CALLBACK}</td><td>default status-callback URL</td></tr>
 *   <tr><td>{@code TWILIO_API_BASE_URL}</td><td>a stand-in for https://api.twilio.com (tests, proxies)</td></tr>
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

    /** Every key read, in report order. */
    public static final List<String> KEYS = List.of(ACCOUNT_SID, AUTH_TOKEN, API_KEY, API_SECRET, PHONE_NUMBER,
            MESSAGING_SERVICE_SID, WHATSAPP_FROM, STATUS_CALLBACK, API_BASE_URL);

    private static final List<String> SECRET_KEYS = List.of(AUTH_TOKEN, API_SECRET);
    private static final List<String> PLACEHOLDER_TOKENS = List.of("your_auth_token", "your_auth_token_here",
            "auth_token", "0123456789abcdef0123456789abcdef", "12345678901234567890123456789012",
            "abcdef0123456789abcdef0123456789", "00000000000000000000000000000000");

    /**
     * A value and where it came from.
     *
     * @param key    the key
     * @param value  the value as read (secret for {@link #AUTH_TOKEN} and {@link #API_SECRET})
     * @param source {@code code}, {@code system property}, {@code env} or {@code FILE:LINE}
     */
    public record Setting(String key, String value, String source) {
        /** Never shows the value of a secret. */
        @Override
        public String toString() {
            return key + "=" + (SECRET_KEYS.contains(key) ? "(secret)" : value) + " (" + source + ")";
        }
    }

    private final Map<String, Setting> settings;
    private final List<Finding> fileFindings;

    private TwilioEnvironment(Map<String, Setting> settings, List<Finding> fileFindings) {
        this.settings = settings;
        this.fileFindings = fileFindings;
    }

    /**
     * Reads system properties, environment variables and {@code ./.env}, and builds the configuration.
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

    /** The value of {@code key} and its source, if set anywhere. */
    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** True when any Twilio credential is set anywhere. */
    public boolean hasCredentials() {
        return settings.containsKey(ACCOUNT_SID) || settings.containsKey(AUTH_TOKEN) || settings.containsKey(API_KEY);
    }

    /** Checks every setting without any network call. */
    public SetupReport check() {
        List<Finding> out = new ArrayList<>(fileFindings);
        Checks c = new Checks(out);
        c.required(ACCOUNT_SID, AccountSid::of, sid -> sid.value(), TwilioEnvironment::placeholderSid);
        boolean key = settings.containsKey(API_KEY) || settings.containsKey(API_SECRET);
        if (key) {
            c.optional(API_KEY, ApiKeySid::of, ApiKeySid::value);
            c.optional(API_SECRET, ApiKeySecret::of, s -> "set (" + s.maskedTail() + ")");
            if (!settings.containsKey(API_KEY)) {
                c.problem(API_KEY, "", API_SECRET + " is set but " + API_KEY + " is not: set the API key SID (SK…)"
                        + " that the secret belongs to (Twilio Console > Account > API keys & tokens).");
            } else if (!settings.containsKey(API_SECRET)) {
                c.problem(API_SECRET, "", API_KEY + " is set but " + API_SECRET + " is not: an API key needs its"
                        + " secret, shown once when the key was created; if it is lost, create a new key.");
            }
            if (settings.containsKey(AUTH_TOKEN)) {
                c.add(Severity.WARNING, AUTH_TOKEN, source(AUTH_TOKEN), "ignored: the API key and secret are used"
                        + " instead. Remove one of the two to avoid confusion.");
            }
        } else {
            c.required(AUTH_TOKEN, AuthToken::of, t -> "set (" + t.maskedTail() + ")", TwilioEnvironment::placeholderToken);
        }
        Optional<PhoneNumber> sms = c.optional(PHONE_NUMBER, PhoneNumber::of, PhoneNumber::value);
        Optional<MessagingServiceSid> service = c.optional(MESSAGING_SERVICE_SID, MessagingServiceSid::of,
                MessagingServiceSid::value);
        Optional<WhatsAppAddress> whatsapp = c.optional(WHATSAPP_FROM, WhatsAppAddress::of, WhatsAppAddress::value);
        whatsapp.filter(WhatsAppAddress::isSandbox).ifPresent(w -> c.add(Severity.WARNING, WHATSAPP_FROM,
                source(WHATSAPP_FROM), "is Twilio's WhatsApp sandbox: only numbers that joined it receive (each"
                        + " recipient sends 'join <your sandbox code>' to +1 415 523 8886; code under Twilio Console >"
                        + " Messaging > Try it out > Send a WhatsApp message). Use your own WhatsApp sender in production."));
        if (sms.isPresent() && service.isPresent()) {
            c.add(Severity.WARNING, PHONE_NUMBER, source(PHONE_NUMBER), "is not used for SMS because "
                    + MESSAGING_SERVICE_SID + " is set; the Messaging Service picks the sender.");
        }
        boolean smsSenderProblem = settings.containsKey(PHONE_NUMBER) && sms.isEmpty()
                || settings.containsKey(MESSAGING_SERVICE_SID) && service.isEmpty();
        boolean waSenderProblem = settings.containsKey(WHATSAPP_FROM) && whatsapp.isEmpty();
        if (!settings.containsKey(PHONE_NUMBER) && !settings.containsKey(MESSAGING_SERVICE_SID)
                && !settings.containsKey(WHATSAPP_FROM)) {
            c.problem("sender", "", "no sender is set: set " + PHONE_NUMBER + " (an SMS-capable number of your account,"
                    + " Twilio Console > Phone Numbers > Active numbers) and/or " + WHATSAPP_FROM + " (whatsapp:+…).");
        } else if (!smsSenderProblem && !waSenderProblem) {
            c.add(Severity.OK, "channels", "", "sms " + (sms.isPresent() || service.isPresent() ? "ready" : "not set up")
                    + ", whatsapp " + (whatsapp.isPresent() ? "ready" : "not set up"));
        }
        c.optional(STATUS_CALLBACK, v -> TwilioConfig.builder().statusCallback(URI.create(v)), v -> "set");
        c.optional(API_BASE_URL, TwilioEnvironment::checkBaseUrl, URI::toString)
                .ifPresent(u -> c.add(Severity.WARNING, API_BASE_URL, source(API_BASE_URL),
                        "requests go to " + u + " instead of Twilio; unset it to send real messages."));
        return new SetupReport(out);
    }

    /**
     * {@link #check()}, then, when that found no problem, one API call each to Twilio: the account
     * (credentials accepted, status, trial or full) and the SMS number (owned by the account,
     * SMS-capable). Network failures are reported as such, never as bad credentials.
     */
    public SetupReport checkLive() {
        SetupReport offline = check();
        if (!offline.ok()) {
            return offline.plus(new SetupReport(List.of(new Finding(Severity.WARNING, "live check", "",
                    "skipped: fix the problems above first."))));
        }
        return offline.plus(LiveCheck.run(configBuilder(offline).build()));
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
        return configBuilder(check());
    }

    private TwilioConfig.Builder configBuilder(SetupReport report) {
        if (!report.ok()) {
            StringBuilder s = new StringBuilder("The Twilio settings have ").append(report.problems().size())
                    .append(report.problems().size() == 1 ? " problem:" : " problems:");
            for (Finding f : report.problems()) {
                s.append(System.lineSeparator()).append("- ").append(f.key())
                        .append(f.source().isEmpty() ? "" : " (" + f.source() + ")").append(": ").append(f.message());
            }
            throw new ChannelConfigurationException(s.toString());
        }
        AccountSid sid = AccountSid.of(value(ACCOUNT_SID));
        TwilioConfig.Builder b = TwilioConfig.builder();
        if (settings.containsKey(API_KEY)) {
            b.credentials(TwilioCredentials.ofApiKey(sid, ApiKeySid.of(value(API_KEY)), ApiKeySecret.of(value(API_SECRET))));
        } else {
            b.credentials(sid, AuthToken.of(value(AUTH_TOKEN)));
        }
        if (settings.containsKey(PHONE_NUMBER)) {
            b.smsFrom(PhoneNumber.of(value(PHONE_NUMBER)));
        }
        if (settings.containsKey(MESSAGING_SERVICE_SID)) {
            b.messagingServiceSid(MessagingServiceSid.of(value(MESSAGING_SERVICE_SID)));
        }
        if (settings.containsKey(WHATSAPP_FROM)) {
            b.whatsAppFrom(WhatsAppAddress.of(value(WHATSAPP_FROM)));
        }
        if (settings.containsKey(STATUS_CALLBACK)) {
            b.statusCallback(URI.create(value(STATUS_CALLBACK)));
        }
        if (settings.containsKey(API_BASE_URL)) {
            b.apiBaseUrl(URI.create(value(API_BASE_URL)));
        }
        return b;
    }

    @Override
    public String toString() {
        return "TwilioEnvironment" + settings.values();
    }

    private String value(String key) {
        return settings.get(key).value();
    }

    private String source(String key) {
        Setting s = settings.get(key);
        return s == null ? "" : s.source();
    }

    private static URI checkBaseUrl(String v) {
        try {
            return TwilioConfig.Builder.checkedBaseUrl(URI.create(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("apiBaseUrl") ? e.getMessage()
                    : "\"" + v + "\" is not a URL: " + e.getMessage(), e);
        }
    }

    private static Optional<String> placeholderSid(String v) {
        return v.regionMatches(true, 0, "ACxxxxxxxx", 0, 10) || v.equalsIgnoreCase("your_account_sid")
                ? Optional.of("is the placeholder from Twilio's docs, not your Account SID. " + AccountSid.FIX)
                : Optional.empty();
    }

    private static Optional<String> placeholderToken(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        boolean sameChar = v.length() > 1 && v.chars().allMatch(ch -> ch == v.charAt(0));
        return PLACEHOLDER_TOKENS.contains(lower) || sameChar || lower.startsWith("your_")
                ? Optional.of("is the example value from Twilio's docs, not your token. " + AuthToken.FIX)
                : Optional.empty();
    }

    /** Collects findings for one report. */
    private final class Checks {
        private final List<Finding> out;

        Checks(List<Finding> out) {
            this.out = out;
        }

        void add(Severity severity, String key, String source, String message) {
            out.add(new Finding(severity, key, source, message));
        }

        void problem(String key, String source, String message) {
            add(Severity.PROBLEM, key, source, message);
        }

        <T> Optional<T> required(String key, Function<String, T> parse, Function<T, String> show,
                                 Function<String, Optional<String>> placeholder) {
            if (!settings.containsKey(key)) {
                problem(key, "", "is not set. " + (key.equals(ACCOUNT_SID) ? AccountSid.FIX
                        : AuthToken.FIX + " For an API key, set " + API_KEY + " and " + API_SECRET + " instead."));
                return Optional.empty();
            }
            Optional<String> p = placeholder.apply(value(key));
            if (p.isPresent()) {
                problem(key, source(key), p.get());
                return Optional.empty();
            }
            return optional(key, parse, show);
        }

        <T> Optional<T> optional(String key, Function<String, T> parse, Function<T, String> show) {
            if (!settings.containsKey(key)) {
                return Optional.empty();
            }
            try {
                T parsed = parse.apply(value(key));
                add(Severity.OK, key, source(key), show.apply(parsed));
                return Optional.of(parsed);
            } catch (IllegalArgumentException e) {
                problem(key, source(key), e.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Chooses the sources of a {@link TwilioEnvironment}. */
    public static final class Builder {
        private final Map<String, String> code = new LinkedHashMap<>();
        private Map<String, String> environment;
        private Properties systemProperties;
        private Path envFile = Path.of(".env");
        private boolean envFileNamed;

        private Builder() {}

        /** Sets a value in code; it takes precedence over every other source. */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key " + key + "; known keys: " + String.join(", ", KEYS));
            }
            code.put(key, value);
            return this;
        }

        /** The {@code .env} file to read (default {@code ./.env}, read only if present); a named file must exist. */
        public Builder envFile(Path file) {
            this.envFile = Objects.requireNonNull(file, "file");
            this.envFileNamed = true;
            return this;
        }

        /** Reads no {@code .env} file. */
        public Builder noEnvFile() {
            this.envFile = null;
            this.envFileNamed = false;
            return this;
        }

        /** The environment variables to read (default {@link System#getenv()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /** The system properties to read (default {@link System#getProperties()}). */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = Objects.requireNonNull(properties, "properties");
            return this;
        }

        /** Reads every source. Never throws for bad values: {@link TwilioEnvironment#check()} reports them. */
        public TwilioEnvironment read() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Properties props = systemProperties != null ? systemProperties : System.getProperties();
            List<Finding> fileFindings = new ArrayList<>();
            Map<String, DotEnv.Entry> fromFile = Map.of();
            String fileName = envFile == null ? "" : envFile.toString();
            if (envFile != null) {
                try {
                    DotEnv.Result r = DotEnv.parse(Files.readAllBytes(envFile));
                    fromFile = r.entries();
                    fileFindings.add(new Finding(Severity.OK, ".env", fileName, "read " + r.entries().size()
                            + " values from " + envFile.toAbsolutePath().normalize()));
                    for (DotEnv.Problem p : r.problems()) {
                        fileFindings.add(new Finding(Severity.PROBLEM, ".env", fileName + ":" + p.line(), p.message()));
                    }
                    for (String k : r.entries().keySet()) {
                        closestKey(k).ifPresent(known -> fileFindings.add(new Finding(Severity.WARNING, k,
                                fileName + ":" + r.entries().get(k).line(), "is not a key twilio-channels reads;"
                                        + " did you mean " + known + "?")));
                    }
                } catch (NoSuchFileException e) {
                    if (envFileNamed) {
                        fileFindings.add(new Finding(Severity.PROBLEM, ".env", fileName, "file not found: "
                                + envFile.toAbsolutePath().normalize()));
                    }
                } catch (IOException e) {
                    fileFindings.add(new Finding(Severity.PROBLEM, ".env", fileName, "cannot be read: " + e));
                }
            }
            Map<String, Setting> settings = new LinkedHashMap<>();
            for (String key : KEYS) {
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
                if (blank(v) && fromFile.containsKey(key)) {
                    v = fromFile.get(key).value();
                    source = fileName + ":" + fromFile.get(key).line();
                }
                if (!blank(v)) {
                    settings.put(key, new Setting(key, v, source));
                }
            }
            return new TwilioEnvironment(settings, fileFindings);
        }

        private static boolean blank(String v) {
            return v == null || v.isBlank();
        }

        private static Optional<String> closestKey(String key) {
            if (!key.startsWith("TWILIO_") || KEYS.contains(key)) {
                return Optional.empty();
            }
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String known : KEYS) {
                int d = distance(key, known);
                if (d < bestDistance) {
                    best = known;
                    bestDistance = d;
                }
            }
            return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
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
