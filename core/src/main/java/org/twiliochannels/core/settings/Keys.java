package org.twiliochannels.core.settings;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.ApiKeySid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.internal.SettingNames;
import org.twiliochannels.core.internal.Texts;

/**
 * The one registry of settings: for each key its name, its {@code twilio.*} property (for
 * integrations such as Spring Boot), whether it is secret, how it is parsed and shown, where the
 * right value is found, and where it goes in {@link TwilioConfig.Builder}. Checking and building
 * loop over {@link #ALL}; nothing else lists the keys ({@code TwilioEnvironment}'s constants name
 * these, and this class uses nothing of it).
 */
final class Keys {
    static final String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    static final String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    static final String API_KEY = "TWILIO_API_KEY";
    static final String API_SECRET = "TWILIO_API_SECRET";
    static final String PHONE_NUMBER = "TWILIO_PHONE_NUMBER";
    static final String MESSAGING_SERVICE_SID = SettingNames.MESSAGING_SERVICE_SID;
    static final String WHATSAPP_FROM = "TWILIO_WHATSAPP_FROM";
    static final String STATUS_CALLBACK = "TWILIO_STATUS_CALLBACK";
    static final String API_BASE_URL = "TWILIO_API_BASE_URL";
    static final String REGION = "TWILIO_REGION";
    static final String EDGE = "TWILIO_EDGE";
    static final String PROXY_URL = "TWILIO_PROXY_URL";
    static final String PROXY_NO_PROXY = "TWILIO_PROXY_NO_PROXY";
    static final String HTTPS_PROXY = "HTTPS_PROXY";
    static final String NO_PROXY = "NO_PROXY";
    /** The value of {@link #PROXY_URL} that turns every proxy setting off. */
    static final String DIRECT = "direct";

    /** Channel plug-in senders: {@code TWILIO_<ID>_FROM}, e.g. {@code TWILIO_MESSENGER_FROM}. */
    static final Pattern PLUGIN_SENDER = Pattern.compile("TWILIO_([A-Z][A-Z0-9_]*)_FROM");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * One key.
     *
     * @param name      the key, e.g. {@code TWILIO_ACCOUNT_SID}
     * @param property  its {@code twilio.*} property, e.g. {@code twilio.account-sid} (whose relaxed
     *                  environment form is {@code name}), or null for a key of the shell's only
     *                  ({@code HTTPS_PROXY})
     * @param secret    whether its value is a secret (never shown, never quoted)
     * @param meaning   what it holds, for documentation and reports
     * @param fix       where the right value comes from, appended to messages about this key
     * @param example   the shape of a right value, e.g. {@code AC + 32 hex characters}
     * @param type      the parsed type
     * @param parse     parses a value; throws {@link IllegalArgumentException} with the reason
     * @param show      the parsed value as shown in a report (never a secret in clear)
     * @param apply     where it goes in the configuration builder, or null when assembled with other keys
     * @param lowerCase also read under its lower-case name from environment variables ({@code https_proxy})
     * @param <T>       the parsed type
     */
    record Key<T>(String name, String property, boolean secret, String meaning, String fix, String example, Class<T> type,
                  Function<String, T> parse, Function<T, String> show, BiConsumer<TwilioConfig.Builder, T> apply,
                  boolean lowerCase) {
        T cast(Object parsed) {
            return type.cast(parsed);
        }

        /** Puts {@code parsed} into the builder, when this key has a place of its own there. */
        void applyTo(TwilioConfig.Builder b, Object parsed) {
            if (apply != null) {
                apply.accept(b, cast(parsed));
            }
        }

        String shown(Object parsed) {
            return show.apply(cast(parsed));
        }
    }

    static final Key<AccountSid> ACCOUNT = new Key<>(ACCOUNT_SID, "twilio.account-sid", false, "the Account SID, required",
            "Copy the Account SID from Twilio Console > Account Info (it starts with AC).",
            "AC + 32 hex characters", AccountSid.class, AccountSid::of, AccountSid::value, null, false);
    static final Key<AuthToken> TOKEN = new Key<>(AUTH_TOKEN, "twilio.auth-token", true, "the auth token, or else an API key and secret",
            "Copy the Auth Token from Twilio Console > Account Info (click 'Show'), or use an API key.",
            "32 hex characters", AuthToken.class, AuthToken::of, t -> "set (" + t.maskedTail() + ")", null, false);
    static final Key<ApiKeySid> KEY = new Key<>(API_KEY, "twilio.api-key", false, "an API key SID, with its secret",
            "Create or copy an API key under Twilio Console > Account > API keys & tokens (its SID starts with SK).",
            "SK + 32 hex characters", ApiKeySid.class, ApiKeySid::of, ApiKeySid::value, null, false);
    static final Key<ApiKeySecret> SECRET = new Key<>(API_SECRET, "twilio.api-secret", true, "the API key's secret",
            "Use the secret shown once when the API key was created (Twilio Console > Account > API keys & tokens);"
                    + " if it is lost, create a new key.",
            "32 letters and digits", ApiKeySecret.class, ApiKeySecret::of, s -> "set (" + s.maskedTail() + ")",
            null, false);
    static final Key<PhoneNumber> PHONE = new Key<>(PHONE_NUMBER, "twilio.phone-number", false, "the SMS sender number",
            "Use an SMS-capable number of your account (Twilio Console > Phone Numbers > Manage > Active numbers).",
            "E.164, e.g. +14155551234", PhoneNumber.class, PhoneNumber::of, PhoneNumber::value,
            TwilioConfig.Builder::smsFrom, false);
    static final Key<MessagingServiceSid> SERVICE = new Key<>(MESSAGING_SERVICE_SID, "twilio.messaging-service-sid", false,
            "a Messaging Service that picks the SMS sender",
            "Copy the Messaging Service SID from Twilio Console > Messaging > Services (it starts with MG).",
            "MG + 32 hex characters", MessagingServiceSid.class, MessagingServiceSid::of, MessagingServiceSid::value,
            TwilioConfig.Builder::messagingServiceSid, false);
    static final Key<WhatsAppAddress> WHATSAPP = new Key<>(WHATSAPP_FROM, "twilio.whatsapp-from", false, "the WhatsApp sender",
            "Use your WhatsApp sender (Twilio Console > Messaging > Senders > WhatsApp senders) or the sandbox.",
            "whatsapp:+14155238886", WhatsAppAddress.class, WhatsAppAddress::of, WhatsAppAddress::value,
            TwilioConfig.Builder::whatsAppFrom, false);
    static final Key<URI> CALLBACK = new Key<>(STATUS_CALLBACK, "twilio.status-callback", false, "the default status-callback URL",
            "Give the public https URL of your status-callback endpoint.",
            "https://your.server/twilio/status", URI.class, Keys::statusCallback, URI::toString,
            TwilioConfig.Builder::statusCallback, false);
    static final Key<URI> BASE_URL = new Key<>(API_BASE_URL, "twilio.api-base-url", false, "a stand-in for https://api.twilio.com (tests)",
            "Unset it to reach Twilio, or give the base URL of your stand-in, e.g. http://localhost:8080.",
            "http://localhost:8080", URI.class, Keys::baseUrl, URI::toString, TwilioConfig.Builder::apiBaseUrl, false);
    static final Key<String> REGION_KEY = new Key<>(REGION, "twilio.region", false, "Twilio's region for API requests",
            "Use a Twilio region id in lower case: us1, ie1 or au1.", "ie1", String.class,
            v -> name(REGION, v, "ie1"), v -> v, TwilioConfig.Builder::region, false);
    static final Key<String> EDGE_KEY = new Key<>(EDGE, "twilio.edge", false, "Twilio's edge location for API requests",
            "Use a Twilio edge location in lower case, e.g. dublin, sydney or ashburn.", "dublin", String.class,
            v -> name(EDGE, v, "dublin"), v -> v, TwilioConfig.Builder::edge, false);
    static final Key<Optional<HttpProxy>> PROXY_URL_KEY = new Key<>(PROXY_URL, "twilio.proxy.url", false,
            "the forward proxy to use, http://[user:password@]host:port, or " + DIRECT + " for none; wins over the"
                    + " JVM's https.proxyHost and " + HTTPS_PROXY,
            "Write the proxy as http://host:port, with user:password@ before the host if it asks for credentials,"
                    + " or " + DIRECT + " to connect without any proxy.",
            "http://proxy.example.com:3128", type(Optional.class), Keys::proxyChoice,
            p -> p.map(Proxies::describe).orElse(DIRECT + ": no proxy"), null, false);
    static final Key<List<String>> PROXY_NO_PROXY_KEY = noProxy(PROXY_NO_PROXY, "twilio.proxy.no-proxy",
            "hosts reached without the proxy, as " + NO_PROXY + " lists them; wins over " + NO_PROXY + " and"
                    + " http.nonProxyHosts");
    static final Key<HttpProxy> PROXY = new Key<>(HTTPS_PROXY, null, false, "a forward proxy, http://[user:password@]host:port",
            "Write the proxy as http://host:port, with user:password@ before the host if it asks for credentials.",
            "http://proxy.example.com:3128", HttpProxy.class, HttpProxy::fromUrl, Proxies::describe, null, true);
    static final Key<List<String>> NO_PROXY_KEY = noProxy(NO_PROXY, null,
            "hosts reached without the proxy, comma-separated");

    /** Every key, in report order. */
    static final List<Key<?>> ALL = List.of(ACCOUNT, TOKEN, KEY, SECRET, PHONE, SERVICE, WHATSAPP, CALLBACK, BASE_URL,
            REGION_KEY, EDGE_KEY, PROXY_URL_KEY, PROXY_NO_PROXY_KEY, PROXY, NO_PROXY_KEY);

    /** The name of every key, in report order. */
    static final List<String> NAMES = ALL.stream().<String>map(Key::name).toList();

    /** The keys whose value is a proxy URL, shown with its password hidden. */
    static final Set<String> PROXY_URLS = Set.of(PROXY_URL, HTTPS_PROXY);

    private Keys() {}

    @SuppressWarnings("unchecked")
    private static <T> Class<T> type(Class<?> raw) {
        return (Class<T>) raw;
    }

    /** A list of hosts in {@code NO_PROXY}'s syntax, read by {@link HttpProxy#parseNoProxy(String)} as the transport uses it. */
    private static Key<List<String>> noProxy(String name, String property, String meaning) {
        return new Key<>(name, property, false, meaning,
                "List host names separated by commas, e.g. localhost,.internal.example.com.", "localhost,.example.com",
                type(List.class), Keys::noProxyHosts, l -> String.join(",", l), null, name.equals(NO_PROXY));
    }

    private static List<String> noProxyHosts(String v) {
        List<String> hosts = HttpProxy.parseNoProxy(v);
        HttpProxy.of("proxy.invalid", 1).withNonProxyHosts(hosts); // the transport's own checks of each entry
        return hosts;
    }

    private static Optional<HttpProxy> proxyChoice(String v) {
        return v.strip().equalsIgnoreCase(DIRECT) ? Optional.empty() : Optional.of(HttpProxy.fromUrl(v));
    }

    /** The key named {@code name}, if it is in the registry. */
    static Optional<Key<?>> byName(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).<Key<?>>map(k -> k).findFirst();
    }

    /** The channel id of a plug-in sender key ({@code TWILIO_GOOGLE_RBM_FROM} is {@code google-rbm}), if it is one. */
    static Optional<String> pluginChannel(String key) {
        var m = PLUGIN_SENDER.matcher(key);
        if (!m.matches() || byName(key).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    private static URI statusCallback(String v) {
        URI u = uri(v);
        TwilioConfig.builder().statusCallback(u);
        return u;
    }

    private static URI baseUrl(String v) {
        URI u = uri(v);
        try {
            return TwilioConfig.builder().credentials(Probe.CREDENTIALS).apiBaseUrl(u).build().apiBaseUrl();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static URI uri(String v) {
        try {
            return new URI(v);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("\"" + Texts.withoutUserInfo(v) + "\" is not a URL: " + e.getReason() + " at position "
                    + (e.getIndex() + 1) + ".", e);
        }
    }

    private static String name(String key, String v, String example) {
        if (!NAME.matcher(v).matches()) {
            throw new IllegalArgumentException(key + " \"" + v + "\" must be lower-case letters, digits and '-',"
                    + " e.g. " + example + ".");
        }
        return v;
    }

    /** Valid-looking credentials used only to run {@link TwilioConfig.Builder#build()}'s URL rules; never sent. */
    private static final class Probe {
        static final org.twiliochannels.core.TwilioCredentials CREDENTIALS = org.twiliochannels.core.TwilioCredentials.of(
                AccountSid.of("AC" + "0".repeat(32)), AuthToken.of("0".repeat(32)));
    }
}
