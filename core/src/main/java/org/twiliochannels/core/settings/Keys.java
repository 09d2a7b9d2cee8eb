package org.twiliochannels.core.settings;

import static org.twiliochannels.core.settings.TwilioEnvironment.ACCOUNT_SID;
import static org.twiliochannels.core.settings.TwilioEnvironment.API_BASE_URL;
import static org.twiliochannels.core.settings.TwilioEnvironment.API_KEY;
import static org.twiliochannels.core.settings.TwilioEnvironment.API_SECRET;
import static org.twiliochannels.core.settings.TwilioEnvironment.AUTH_TOKEN;
import static org.twiliochannels.core.settings.TwilioEnvironment.EDGE;
import static org.twiliochannels.core.settings.TwilioEnvironment.HTTPS_PROXY;
import static org.twiliochannels.core.settings.TwilioEnvironment.MESSAGING_SERVICE_SID;
import static org.twiliochannels.core.settings.TwilioEnvironment.NO_PROXY;
import static org.twiliochannels.core.settings.TwilioEnvironment.PHONE_NUMBER;
import static org.twiliochannels.core.settings.TwilioEnvironment.REGION;
import static org.twiliochannels.core.settings.TwilioEnvironment.STATUS_CALLBACK;
import static org.twiliochannels.core.settings.TwilioEnvironment.WHATSAPP_FROM;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

/**
 * The one registry of settings: for each key its name, whether it is secret, how it is parsed and
 * shown, where the right value is found, and where it goes in {@link TwilioConfig.Builder}.
 * Checking and building loop over {@link #ALL}; nothing else lists the keys.
 */
final class Keys {
    /** Channel plug-in senders: {@code TWILIO_<ID>_FROM}, e.g. {@code TWILIO_MESSENGER_FROM}. */
    static final Pattern PLUGIN_SENDER = Pattern.compile("TWILIO_([A-Z][A-Z0-9_]*)_FROM");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * One key.
     *
     * @param name      the key, e.g. {@code TWILIO_ACCOUNT_SID}
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
    record Key<T>(String name, boolean secret, String meaning, String fix, String example, Class<T> type,
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

    static final Key<AccountSid> ACCOUNT = new Key<>(ACCOUNT_SID, false, "the Account SID, required",
            "Copy the Account SID from Twilio Console > Account Info (it starts with AC).",
            "AC + 32 hex characters", AccountSid.class, AccountSid::of, AccountSid::value, null, false);
    static final Key<AuthToken> TOKEN = new Key<>(AUTH_TOKEN, true, "the auth token, or else an API key and secret",
            "Copy the Auth Token from Twilio Console > Account Info (click 'Show'), or use an API key.",
            "32 hex characters", AuthToken.class, AuthToken::of, t -> "set (" + t.maskedTail() + ")", null, false);
    static final Key<ApiKeySid> KEY = new Key<>(API_KEY, false, "an API key SID, with its secret",
            "Create or copy an API key under Twilio Console > Account > API keys & tokens (its SID starts with SK).",
            "SK + 32 hex characters", ApiKeySid.class, ApiKeySid::of, ApiKeySid::value, null, false);
    static final Key<ApiKeySecret> SECRET = new Key<>(API_SECRET, true, "the API key's secret",
            "Use the secret shown once when the API key was created (Twilio Console > Account > API keys & tokens);"
                    + " if it is lost, create a new key.",
            "32 letters and digits", ApiKeySecret.class, ApiKeySecret::of, s -> "set (" + s.maskedTail() + ")",
            null, false);
    static final Key<PhoneNumber> PHONE = new Key<>(PHONE_NUMBER, false, "the SMS sender number",
            "Use an SMS-capable number of your account (Twilio Console > Phone Numbers > Manage > Active numbers).",
            "E.164, e.g. +14155551234", PhoneNumber.class, PhoneNumber::of, PhoneNumber::value,
            TwilioConfig.Builder::smsFrom, false);
    static final Key<MessagingServiceSid> SERVICE = new Key<>(MESSAGING_SERVICE_SID, false,
            "a Messaging Service that picks the SMS sender",
            "Copy the Messaging Service SID from Twilio Console > Messaging > Services (it starts with MG).",
            "MG + 32 hex characters", MessagingServiceSid.class, MessagingServiceSid::of, MessagingServiceSid::value,
            TwilioConfig.Builder::messagingServiceSid, false);
    static final Key<WhatsAppAddress> WHATSAPP = new Key<>(WHATSAPP_FROM, false, "the WhatsApp sender",
            "Use your WhatsApp sender (Twilio Console > Messaging > Senders > WhatsApp senders) or the sandbox.",
            "whatsapp:+14155238886", WhatsAppAddress.class, WhatsAppAddress::of, WhatsAppAddress::value,
            TwilioConfig.Builder::whatsAppFrom, false);
    static final Key<URI> CALLBACK = new Key<>(STATUS_CALLBACK, false, "the default status-callback URL",
            "Give the public https URL of your status-callback endpoint.",
            "https://your.server/twilio/status", URI.class, Keys::statusCallback, URI::toString,
            TwilioConfig.Builder::statusCallback, false);
    static final Key<URI> BASE_URL = new Key<>(API_BASE_URL, false, "a stand-in for https://api.twilio.com (tests)",
            "Unset it to reach Twilio, or give the base URL of your stand-in, e.g. http://localhost:8080.",
            "http://localhost:8080", URI.class, Keys::baseUrl, URI::toString, TwilioConfig.Builder::apiBaseUrl, false);
    static final Key<String> REGION_KEY = new Key<>(REGION, false, "Twilio's region for API requests",
            "Use a Twilio region id in lower case: us1, ie1 or au1.", "ie1", String.class,
            v -> name(REGION, v, "ie1"), v -> v, TwilioConfig.Builder::region, false);
    static final Key<String> EDGE_KEY = new Key<>(EDGE, false, "Twilio's edge location for API requests",
            "Use a Twilio edge location in lower case, e.g. dublin, sydney or ashburn.", "dublin", String.class,
            v -> name(EDGE, v, "dublin"), v -> v, TwilioConfig.Builder::edge, false);
    static final Key<HttpProxy> PROXY = new Key<>(HTTPS_PROXY, false, "a forward proxy, http://[user:password@]host:port",
            "Write the proxy as http://host:port, with user:password@ before the host if it asks for credentials.",
            "http://proxy.example.com:3128", HttpProxy.class, Proxies::fromUrl, Proxies::describe, null, true);
    static final Key<List<String>> NO_PROXY_KEY = listKey();

    /** Every key, in report order. */
    static final List<Key<?>> ALL = List.of(ACCOUNT, TOKEN, KEY, SECRET, PHONE, SERVICE, WHATSAPP, CALLBACK, BASE_URL,
            REGION_KEY, EDGE_KEY, PROXY, NO_PROXY_KEY);

    private Keys() {}

    @SuppressWarnings("unchecked")
    private static Key<List<String>> listKey() {
        Class<List<String>> type = (Class<List<String>>) (Class<?>) List.class;
        return new Key<>(NO_PROXY, false, "hosts reached without the proxy, comma-separated",
                "List host names separated by commas, e.g. localhost,.internal.example.com.", "localhost,.example.com",
                type, v -> Arrays.stream(v.split(",")).map(String::strip).filter(h -> !h.isEmpty()).toList(),
                l -> String.join(",", l), null, true);
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
            throw new IllegalArgumentException("\"" + v + "\" is not a URL: " + e.getReason() + " at position "
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
