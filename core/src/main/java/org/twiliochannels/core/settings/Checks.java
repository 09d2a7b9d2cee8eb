package org.twiliochannels.core.settings;

import static org.twiliochannels.core.settings.Keys.ACCOUNT_SID;
import static org.twiliochannels.core.settings.Keys.API_BASE_URL;
import static org.twiliochannels.core.settings.Keys.API_KEY;
import static org.twiliochannels.core.settings.Keys.API_SECRET;
import static org.twiliochannels.core.settings.Keys.AUTH_TOKEN;
import static org.twiliochannels.core.settings.Keys.EDGE;
import static org.twiliochannels.core.settings.Keys.HTTPS_PROXY;
import static org.twiliochannels.core.settings.Keys.MESSAGING_SERVICE_SID;
import static org.twiliochannels.core.settings.Keys.PHONE_NUMBER;
import static org.twiliochannels.core.settings.Keys.REGION;
import static org.twiliochannels.core.settings.Keys.WHATSAPP_FROM;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.internal.Texts;
import org.twiliochannels.core.settings.Examples.Example;
import org.twiliochannels.core.settings.Keys.Key;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;

/**
 * One pass of checks over the registry: each value set is vetted (looks like a secret? an example
 * value? parses?), then the rules across keys run (credentials complete, a sender present, API
 * host, proxy). Gives the report, and the configuration builder the same parsed values fill.
 */
final class Checks {
    private static final Set<String> KNOWN_REGIONS = Set.of("us1", "ie1", "au1");
    private static final Set<String> KNOWN_EDGES = Set.of("ashburn", "dublin", "frankfurt", "sao-paulo", "singapore",
            "sydney", "tokyo", "umatilla", "roaming");
    /** No setting is longer (a URL with a long path); longer values are refused before any other check. */
    static final int MAX_VALUE_LENGTH = 4096;

    private final Map<String, Raw> settings;
    private final Properties systemProperties;
    private final List<Finding> out;
    private final Map<String, Object> parsed = new HashMap<>();
    private final Map<String, String> pluginSenders = new TreeMap<>();
    private final List<String> secrets;
    private HttpProxy proxy;

    Checks(Map<String, Raw> settings, Properties proxyProperties, List<Finding> fileFindings) {
        this.settings = settings;
        this.systemProperties = proxyProperties;
        this.out = new ArrayList<>(fileFindings);
        this.secrets = SecretShapes.configured(settings);
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
        if (v.length() > MAX_VALUE_LENGTH) {
            problem(key.name(), source, Texts.tooLong(v, MAX_VALUE_LENGTH) + ". " + key.fix());
            return;
        }
        if (!key.secret() && SecretShapes.looksSecret(v, secrets)) {
            problem(key.name(), source, SecretShapes.MESSAGE + " " + key.name() + " takes " + key.meaning() + " ("
                    + key.example() + "). " + key.fix());
            return;
        }
        Optional<String> odd = Texts.oddCharacter(v, false, key.secret() ? null : typed -> accepted(key, typed));
        if (odd.isPresent()) {
            problem(key.name(), source, odd.get() + ". " + key.fix());
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
                add(Severity.OK, key.name(), source, Texts.withoutUserInfo(key.shown(value)));
            }
        } catch (IllegalArgumentException e) {
            problem(key.name(), source, Texts.withoutUserInfoOf(v, e.getMessage()));
        }
    }

    /**
     * {@code typed}, to be shown as what to write instead, when {@code key} (null for a plug-in
     * sender) takes it and it has nothing that must not be shown: no secret, no user info.
     */
    private Optional<String> accepted(Key<?> key, String typed) {
        if (SecretShapes.looksSecret(typed, secrets) || !typed.equals(Texts.withoutUserInfo(typed))) {
            return Optional.empty();
        }
        try {
            if (key != null) {
                key.parse().apply(typed);
            }
            return Optional.of(typed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
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
        String fix = "Give the sender of channel plug-in \"" + channel + "\" as the plug-in documents it.";
        if (r.value().length() > MAX_VALUE_LENGTH) {
            problem(r.key(), r.source(), Texts.tooLong(r.value(), MAX_VALUE_LENGTH) + ". " + fix);
            return;
        }
        if (SecretShapes.looksSecret(r.value(), secrets)) {
            problem(r.key(), r.source(), SecretShapes.MESSAGE + " " + r.key() + " takes the sender of channel"
                    + " plug-in \"" + channel + "\".");
            return;
        }
        Optional<String> invisible = Texts.oddCharacter(r.value(), true, typed -> accepted(null, typed));
        if (invisible.isPresent()) {
            problem(r.key(), r.source(), invisible.get() + ". " + fix);
            return;
        }
        if (Examples.find(r.key(), r.value()).isPresent()) {
            problem(r.key(), r.source(), Examples.message(Examples.find(r.key(), r.value()).get(), fix));
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

    /**
     * The proxy in use: {@code TWILIO_PROXY_URL} when set (a proxy, or none), else the JVM's
     * {@code https.proxyHost}, else {@code HTTPS_PROXY} with {@code NO_PROXY}; its hosts reached
     * directly replaced by {@code TWILIO_PROXY_NO_PROXY} when set. Read and matched by
     * {@link HttpProxy}, as the transport reads and matches them.
     */
    private void proxy() {
        String source;
        String jvmHost = systemProperties.getProperty(Proxies.HOST_PROPERTY);
        boolean jvmSet = jvmHost != null && !jvmHost.isBlank();
        if (has(Keys.PROXY_URL)) {
            Optional<Optional<HttpProxy>> chosen = value(Keys.PROXY_URL_KEY);
            if (chosen.isEmpty()) {
                return; // its problem is already reported
            }
            proxy = chosen.get().orElse(null);
            source = source(Keys.PROXY_URL);
            if (jvmSet) {
                add(Severity.WARNING, "proxy", "system property " + Proxies.HOST_PROPERTY, "ignored: "
                        + Keys.PROXY_URL + " is set and wins.");
            }
            if (has(HTTPS_PROXY)) {
                add(Severity.WARNING, HTTPS_PROXY, source(HTTPS_PROXY), "ignored: " + Keys.PROXY_URL
                        + " is set and wins.");
            }
        } else if (jvmSet) {
            try {
                proxy = HttpProxy.fromSystemProperties(systemProperties).orElseThrow();
            } catch (IllegalArgumentException e) {
                problem("proxy", "system property " + Proxies.HOST_PROPERTY, e.getMessage());
                return;
            }
            source = "system property " + Proxies.HOST_PROPERTY;
            if (has(HTTPS_PROXY)) {
                add(Severity.WARNING, HTTPS_PROXY, source(HTTPS_PROXY), "ignored: the JVM's "
                        + Proxies.HOST_PROPERTY + " is set and wins.");
            }
        } else if (has(HTTPS_PROXY)) {
            Optional<HttpProxy> fromVariable = value(Keys.PROXY);
            if (fromVariable.isEmpty()) {
                return; // its problem is already reported
            }
            proxy = fromVariable.get();
            source = source(HTTPS_PROXY);
            Optional<List<String>> noProxy = value(Keys.NO_PROXY_KEY);
            if (noProxy.isPresent()) {
                proxy = proxy.withNonProxyHosts(noProxy.get());
            }
        } else {
            source = "";
        }
        Optional<List<String>> direct = value(Keys.PROXY_NO_PROXY_KEY);
        if (proxy != null && direct.isPresent()) {
            proxy = proxy.withNonProxyHosts(direct.get());
        }
        if (proxy == null) {
            add(Severity.OK, "proxy", source, "none: direct connections");
            return;
        }
        String target = value(Keys.BASE_URL).map(URI::getHost).orElseGet(() -> URI.create(apiHost(
                value(Keys.REGION_KEY).orElse(null), value(Keys.EDGE_KEY).orElse(null))).getHost());
        add(Severity.OK, "proxy", source, Proxies.describe(proxy) + (proxy.bypasses(target)
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

    private boolean has(String key) {
        return settings.containsKey(key);
    }

    private String source(String key) {
        Raw r = settings.get(key);
        return r == null ? "" : r.source();
    }


    /** The API host requests go to with this region and edge, as Twilio's SDK builds it. */
    static String apiHost(String region, String edge) {
        String r = region == null && edge != null ? "us1" : region;
        return "https://api" + (edge == null ? "" : "." + edge) + (r == null ? "" : "." + r) + ".twilio.com";
    }
}
