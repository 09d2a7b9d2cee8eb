package org.twiliochannels.core;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import org.twiliochannels.core.internal.Texts;
import org.twiliochannels.core.internal.TwilioHosts;

/**
 * Everything a channel needs: credentials, senders, where the Twilio API is, timeouts and the
 * retry policy. Immutable; build one with {@link #builder()} or load one with
 * {@link org.twiliochannels.core.settings.TwilioEnvironment}. {@link #toString()} never shows a secret.
 */
public final class TwilioConfig {
    /** Twilio's REST API. */
    public static final URI TWILIO_API = URI.create("https://api.twilio.com");

    private final TwilioCredentials credentials;
    private final PhoneNumber smsFrom;
    private final MessagingServiceSid messagingServiceSid;
    private final WhatsAppAddress whatsAppFrom;
    private final URI statusCallback;
    private final URI apiBaseUrl;
    private final boolean allowInsecureHttp;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration sendDeadline;
    private final RetryPolicy retryPolicy;
    private final int maxConcurrentRequests;
    private final ExecutorService asyncExecutor;
    private final Map<String, String> senders;
    private final String region;
    private final String edge;
    private final HttpProxy proxy;

    private TwilioConfig(Builder b) {
        this.credentials = b.credentials;
        this.smsFrom = b.smsFrom;
        this.messagingServiceSid = b.messagingServiceSid;
        this.whatsAppFrom = b.whatsAppFrom;
        this.statusCallback = b.statusCallback;
        this.apiBaseUrl = b.apiBaseUrl;
        this.allowInsecureHttp = b.allowInsecureHttp;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.sendDeadline = b.sendDeadline;
        this.retryPolicy = b.retryPolicy;
        this.maxConcurrentRequests = b.maxConcurrentRequests;
        this.asyncExecutor = b.asyncExecutor;
        this.senders = Map.copyOf(b.senders);
        this.region = b.region;
        this.edge = b.edge;
        this.proxy = b.proxy;
    }

    /** A builder with every default documented on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.credentials = credentials;
        b.smsFrom = smsFrom;
        b.messagingServiceSid = messagingServiceSid;
        b.whatsAppFrom = whatsAppFrom;
        b.statusCallback = statusCallback;
        b.apiBaseUrl = apiBaseUrl;
        b.allowInsecureHttp = allowInsecureHttp;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.sendDeadline = sendDeadline;
        b.retryPolicy = retryPolicy;
        b.maxConcurrentRequests = maxConcurrentRequests;
        b.asyncExecutor = asyncExecutor;
        b.senders.putAll(senders);
        b.region = region;
        b.edge = edge;
        b.proxy = proxy;
        return b;
    }

    /** The credentials every request is signed with. */
    public TwilioCredentials credentials() {
        return credentials;
    }

    /** The SMS sender number ({@code TWILIO_PHONE_NUMBER}). */
    public Optional<PhoneNumber> smsFrom() {
        return Optional.ofNullable(smsFrom);
    }

    /** The Messaging Service that sends SMS instead of a single number ({@code TWILIO_MESSAGING_SERVICE_SID}). */
    public Optional<MessagingServiceSid> messagingServiceSid() {
        return Optional.ofNullable(messagingServiceSid);
    }

    /** The WhatsApp sender ({@code TWILIO_WHATSAPP_FROM}). */
    public Optional<WhatsAppAddress> whatsAppFrom() {
        return Optional.ofNullable(whatsAppFrom);
    }

    /** The status-callback URL given to every message that does not set its own. */
    public Optional<URI> statusCallback() {
        return Optional.ofNullable(statusCallback);
    }

    /**
     * Where requests go: the base URL set with {@link Builder#apiBaseUrl(URI)} (a test server, a
     * fake, a gateway), or else Twilio's API for the configured region and edge, e.g.
     * {@code https://api.dublin.ie1.twilio.com}.
     */
    public URI apiBaseUrl() {
        return usesCustomApiBaseUrl() ? apiBaseUrl : URI.create("https://" + apiHost());
    }

    /**
     * The host requests go to: the custom base URL's host when one is set, else Twilio's API host
     * as the SDK maps region and edge: {@code api.twilio.com} with neither,
     * {@code api.{region}.twilio.com} with a region, {@code api.{edge}.{region}.twilio.com} with
     * both, and region {@code us1} when only an edge is set. Other Twilio products (e.g.
     * {@code content.twilio.com}) follow the same rule.
     */
    public String apiHost() {
        if (usesCustomApiBaseUrl()) {
            return apiBaseUrl.getHost();
        }
        return TwilioHosts.regional(TWILIO_API.getHost(), region, edge);
    }

    /** Whether plain {@code http} is allowed for a host other than loopback. */
    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /** The longest wait for a TCP (and TLS) connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest wait for Twilio's answer once a request is written. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The longest one send may take, every retry and wait included. */
    public Duration sendDeadline() {
        return sendDeadline;
    }

    /** When failed requests are tried again. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The most requests in flight at once per channel (connection pool and async threads). */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** The executor of {@code sendAsync}, when the application supplies its own. */
    public Optional<ExecutorService> asyncExecutor() {
        return Optional.ofNullable(asyncExecutor);
    }

    /**
     * The sender configured for a channel plug-in other than sms and whatsapp (e.g.
     * {@code TWILIO_MESSENGER_FROM} for channel {@code "messenger"}), as written; the plug-in checks it.
     */
    public Optional<String> sender(String channelId) {
        return Optional.ofNullable(senders.get(Objects.requireNonNull(channelId, "channelId")));
    }

    /** Every plug-in sender set with {@link Builder#sender(String, String)}, by channel id. */
    public Map<String, String> senders() {
        return senders;
    }

    /**
     * Twilio's region for API requests ({@code TWILIO_REGION}, e.g. {@code "ie1"}), when set; ignored
     * when a custom {@link #apiBaseUrl()} is set.
     */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /**
     * Twilio's edge location ({@code TWILIO_EDGE}, e.g. {@code "dublin"}), when set; ignored when a
     * custom {@link #apiBaseUrl()} is set.
     */
    public Optional<String> edge() {
        return Optional.ofNullable(edge);
    }

    /** The forward proxy requests go through, when one is configured. */
    public Optional<HttpProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** True when a base URL other than {@link #TWILIO_API} was set: then region and edge are ignored. */
    public boolean usesCustomApiBaseUrl() {
        return !TWILIO_API.equals(apiBaseUrl);
    }

    @Override
    public String toString() {
        return "TwilioConfig[credentials=" + credentials
                + ", smsFrom=" + smsFrom
                + ", messagingServiceSid=" + messagingServiceSid
                + ", whatsAppFrom=" + whatsAppFrom
                + ", apiBaseUrl=" + apiBaseUrl()
                + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout
                + ", sendDeadline=" + sendDeadline
                + ", retryPolicy=" + retryPolicy
                + ", maxConcurrentRequests=" + maxConcurrentRequests
                + (senders.isEmpty() ? "" : ", senders=" + new java.util.TreeMap<>(senders))
                + (region == null ? "" : ", region=" + region)
                + (edge == null ? "" : ", edge=" + edge)
                + (proxy == null ? "" : ", proxy=" + proxy) + "]";
    }

    /** Builds a {@link TwilioConfig}. Only the credentials are required. */
    public static final class Builder {
        private TwilioCredentials credentials;
        private PhoneNumber smsFrom;
        private MessagingServiceSid messagingServiceSid;
        private WhatsAppAddress whatsAppFrom;
        private URI statusCallback;
        private URI apiBaseUrl = TWILIO_API;
        private boolean allowInsecureHttp;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private Duration sendDeadline = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxConcurrentRequests = 16;
        private ExecutorService asyncExecutor;
        private final Map<String, String> senders = new java.util.HashMap<>();
        private String region;
        private String edge;
        private HttpProxy proxy;

        private static final Pattern REGION = Pattern.compile("[a-z0-9]{1,20}");
        private static final Pattern EDGE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

        private Builder() {}

        /** Required. */
        public Builder credentials(TwilioCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Shorthand for {@code credentials(TwilioCredentials.of(accountSid, authToken))}. */
        public Builder credentials(AccountSid accountSid, AuthToken authToken) {
            return credentials(TwilioCredentials.of(accountSid, authToken));
        }

        /** The number SMS are sent from; needed by the sms channel unless a Messaging Service is set. */
        public Builder smsFrom(PhoneNumber smsFrom) {
            this.smsFrom = Objects.requireNonNull(smsFrom, "smsFrom");
            return this;
        }

        /** A Messaging Service to send SMS from; it takes precedence over {@link #smsFrom(PhoneNumber)}. */
        public Builder messagingServiceSid(MessagingServiceSid messagingServiceSid) {
            this.messagingServiceSid = Objects.requireNonNull(messagingServiceSid, "messagingServiceSid");
            return this;
        }

        /** The WhatsApp sender; needed by the whatsapp channel. */
        public Builder whatsAppFrom(WhatsAppAddress whatsAppFrom) {
            this.whatsAppFrom = Objects.requireNonNull(whatsAppFrom, "whatsAppFrom");
            return this;
        }

        /** A status-callback URL for every message that does not set its own (default none). */
        public Builder statusCallback(URI statusCallback) {
            this.statusCallback = httpUrl("statusCallback", statusCallback);
            return this;
        }

        /**
         * Where requests go instead of Twilio's API: a test server, a fake or a gateway. Scheme,
         * host, port and an optional path prefix are used; Twilio's paths follow. Region and edge
         * are then ignored. Plain {@code http} is accepted only for loopback hosts ({@code localhost},
         * {@code 127.0.0.0/8}, {@code ::1}, written as such: names are never looked up) unless
         * {@link #allowInsecureHttp(boolean)} is set.
         *
         * @throws IllegalArgumentException when it is not an absolute http(s) URL, has a port outside
         *                                  1–65535, user info ({@code user:password@}), a query or a fragment
         */
        public Builder apiBaseUrl(URI apiBaseUrl) {
            URI url = httpUrl("apiBaseUrl", apiBaseUrl);
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("apiBaseUrl must not contain user info (a user name or password"
                        + " before '@'); it is never sent. Twilio credentials come from TWILIO_ACCOUNT_SID and"
                        + " TWILIO_AUTH_TOKEN (or an API key), and a proxy's credentials have their own settings"
                        + " (HttpProxy.withCredentials, or user:password@ in HTTPS_PROXY). Give the URL without it: \""
                        + withoutUserInfo(url) + "\"");
            }
            if (url.getQuery() != null || url.getFragment() != null) {
                throw new IllegalArgumentException("apiBaseUrl \"" + apiBaseUrl
                        + "\" must not have a query or fragment; give scheme, host, port and an optional path.");
            }
            String s = url.toString();
            this.apiBaseUrl = s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : url;
            return this;
        }

        /** Allow plain {@code http} to hosts other than loopback (default false): credentials then travel unencrypted. */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** The longest wait for a connection (default 5 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        /** The longest wait for an answer once a request is written (default 15 s). */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = positive("readTimeout", readTimeout);
            return this;
        }

        /** The longest one send may take, retries and waits included (default 30 s). */
        public Builder sendDeadline(Duration sendDeadline) {
            this.sendDeadline = positive("sendDeadline", sendDeadline);
            return this;
        }

        /** When failed requests are retried (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** The most requests in flight at once per channel (default 16). */
        public Builder maxConcurrentRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, was " + max);
            }
            this.maxConcurrentRequests = max;
            return this;
        }

        /**
         * The executor {@code sendAsync} runs on (default: a pool of {@link #maxConcurrentRequests(int)}
         * threads owned and shut down by the channel). A supplied executor is not shut down by the channel.
         */
        public Builder asyncExecutor(ExecutorService executor) {
            this.asyncExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The sender of a channel plug-in (not sms or whatsapp, which have typed setters), as the
         * plug-in expects it, e.g. {@code sender("messenger", "messenger:1234567890")}.
         */
        public Builder sender(String channelId, String sender) {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(sender, "sender");
            if (!channelId.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("sender: channel id \"" + channelId
                        + "\" must be lower case letters, digits and '-', starting with a letter, e.g. \"messenger\"");
            }
            senders.put(channelId, sender.strip());
            return this;
        }

        /**
         * Twilio's region, e.g. {@code "ie1"}, {@code "au1"} or {@code "us1"} (default none: Twilio's
         * US1 API host {@code api.twilio.com}). Requests then go to {@code api.{region}.twilio.com},
         * or {@code api.{edge}.{region}.twilio.com} with an {@link #edge(String) edge}. Case and
         * surrounding spaces are ignored. Ignored when {@link #apiBaseUrl(URI)} is set.
         *
         * @throws IllegalArgumentException when it is not letters and digits
         */
        public Builder region(String region) {
            this.region = hostLabel("region", region, REGION, "Twilio's region id: letters and digits,"
                    + " e.g. \"ie1\", \"au1\" or \"us1\"");
            return this;
        }

        /**
         * Twilio's edge location, e.g. {@code "dublin"}, {@code "sydney"} or {@code "sao-paulo"}
         * (default none). With an edge and no region, Twilio's region {@code us1} is used, as the SDK
         * does. Case and surrounding spaces are ignored. Ignored when {@link #apiBaseUrl(URI)} is set.
         *
         * @throws IllegalArgumentException when it is not letters, digits and inner '-'
         */
        public Builder edge(String edge) {
            this.edge = hostLabel("edge", edge, EDGE, "Twilio's edge location: letters, digits and '-',"
                    + " e.g. \"dublin\", \"sydney\" or \"sao-paulo\"");
            return this;
        }

        private static String hostLabel(String name, String value, Pattern rule, String what) {
            Objects.requireNonNull(value, name);
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (!rule.matcher(v).matches()) {
                throw new IllegalArgumentException(name + " \"" + value + "\" must be " + what
                        + " (the part of the host name api.{edge}.{region}.twilio.com, not a host or URL)");
            }
            return v;
        }

        /** A forward proxy for every request (default none: direct connections). */
        public Builder proxy(HttpProxy proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException when credentials are missing or plain http is used for a
         *                               non-loopback host without {@link #allowInsecureHttp(boolean)}
         */
        public TwilioConfig build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials are required: call credentials(AccountSid, AuthToken)"
                        + " or use TwilioEnvironment.load() to read TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
            }
            if (!allowInsecureHttp && !secureEnough(apiBaseUrl)) {
                throw new IllegalStateException(insecureMessage(apiBaseUrl));
            }
            return new TwilioConfig(this);
        }

        /** The longest URL a setting takes, as for every setting the doctor reads. */
        private static final int MAX_URL_LENGTH = 4096;

        private static URI httpUrl(String name, URI url) {
            Objects.requireNonNull(url, name);
            String raw = url.toString();
            if (raw.length() > MAX_URL_LENGTH) {
                throw new IllegalArgumentException(name + " " + Texts.tooLong(raw, MAX_URL_LENGTH)
                        + "; give the URL itself, e.g. https://example.com/path");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException(name + " \"" + shown(url) + "\" must be an absolute http or https"
                        + " URL, e.g. https://example.com/path");
            }
            if (url.getPort() == 0 || url.getPort() > 65535) {
                throw new IllegalArgumentException(name + " \"" + shown(url) + "\" has port " + url.getPort()
                        + ", which is not between 1 and 65535; give a valid port, e.g. https://example.com:8443,"
                        + " or none for the scheme's default");
            }
            return url;
        }

        /** The URL for messages: user info (which may hold a password) replaced. */
        private static String shown(URI url) {
            String auth = url.getRawAuthority();
            int at = auth == null ? -1 : auth.lastIndexOf('@');
            return at < 0 ? url.toString() : url.toString().replace(auth, "[user info removed]@" + auth.substring(at + 1));
        }

        private static String withoutUserInfo(URI url) {
            String auth = url.getRawAuthority();
            return url.toString().replace(auth, auth.substring(auth.lastIndexOf('@') + 1));
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /** False for plain http to a host other than loopback. */
        static boolean secureEnough(URI url) {
            return !"http".equalsIgnoreCase(url.getScheme()) || isLoopback(url.getHost());
        }

        static String insecureMessage(URI url) {
            return "apiBaseUrl \"" + url + "\" uses plain http for a host that is not loopback (localhost, 127.x.x.x"
                    + " or [::1], written as such: names are not looked up), which would send credentials unencrypted;"
                    + " use https, or call allowInsecureHttp(true) if this is intended.";
        }

        /** Checks a base URL as {@link #apiBaseUrl(URI)} and {@link #build()} would, without other settings. */
        static URI checkedBaseUrl(URI url) {
            URI normalized = new Builder().apiBaseUrl(url).apiBaseUrl;
            if (!secureEnough(normalized)) {
                throw new IllegalArgumentException(insecureMessage(normalized));
            }
            return normalized;
        }

        /**
         * True for {@code localhost} and literal loopback addresses ({@code 127.0.0.0/8}, {@code ::1}
         * in any of its spellings). Never looks a name up: a name that resolves to loopback today may
         * resolve elsewhere tomorrow, and credentials would then travel in the clear.
         */
        static boolean isLoopback(String host) {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (h.equalsIgnoreCase("localhost")) {
                return true;
            }
            java.util.regex.Matcher v4 = IPV4.matcher(h);
            if (v4.matches()) {
                for (int i = 1; i <= 4; i++) {
                    if (Integer.parseInt(v4.group(i)) > 255) {
                        return false;
                    }
                }
                return v4.group(1).equals("127");
            }
            return isIpv6Loopback(h);
        }

        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

        /** {@code ::1}, {@code 0:0:0:0:0:0:0:1}, {@code 0000::0001}, with or without a zone. */
        private static boolean isIpv6Loopback(String literal) {
            int zone = literal.indexOf('%');
            String h = zone < 0 ? literal : literal.substring(0, zone);
            int gap = h.indexOf("::");
            if (h.indexOf(':') < 0 || (gap >= 0 && gap != h.lastIndexOf("::"))) {
                return false;
            }
            java.util.List<String> groups = new java.util.ArrayList<>();
            if (gap >= 0) {
                java.util.List<String> head = splitGroups(h.substring(0, gap));
                java.util.List<String> tail = splitGroups(h.substring(gap + 2));
                if (head.size() + tail.size() > 7) {
                    return false;
                }
                groups.addAll(head);
                for (int i = head.size() + tail.size(); i < 8; i++) {
                    groups.add("0");
                }
                groups.addAll(tail);
            } else {
                groups.addAll(splitGroups(h));
            }
            if (groups.size() != 8) {
                return false;
            }
            for (int i = 0; i < 8; i++) {
                String g = groups.get(i);
                if (!HEX_GROUP.matcher(g).matches() || Integer.parseInt(g, 16) != (i == 7 ? 1 : 0)) {
                    return false;
                }
            }
            return true;
        }

        private static java.util.List<String> splitGroups(String part) {
            return part.isEmpty() ? java.util.List.of() : java.util.List.of(part.split(":", -1));
        }
    }
}
