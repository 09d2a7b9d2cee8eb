package org.twiliochannels.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code twilio.*} properties, for IDE completion and typed access. The library's keys among
 * them (every key of {@code TwilioEnvironment.REGISTRY} with a property; a test keeps the two
 * lists equal) are read by the starter through Spring's environment with relaxed binding, so the
 * library's own environment variables ({@code TWILIO_ACCOUNT_SID}, {@code TWILIO_REGION} …) keep
 * working, and so do {@code HTTPS_PROXY}, {@code NO_PROXY} and the JVM's {@code https.proxy*}
 * properties unless {@code twilio.proxy.*} says otherwise. Values are checked by the library's
 * doctor when the application starts: a wrong one stops the start with the property, where its
 * value came from and the fix. {@link #toString()} never shows a secret or a proxy password.
 */
@ConfigurationProperties("twilio")
public class TwilioProperties {
    /** Whether to configure twilio-channels at all. */
    private boolean enabled = true;
    /** The Account SID: AC followed by 32 hex digits (Twilio Console, Account Info). */
    private String accountSid;
    /** The auth token (secret): 32 hex digits. Also needed to verify webhooks when an API key is used. */
    private String authToken;
    /** An API key SID (SK…) to authenticate with instead of the auth token; needs api-secret. */
    private String apiKey;
    /** The API key's secret. */
    private String apiSecret;
    /** The SMS sender, in E.164 form, e.g. +14155551234. */
    private String phoneNumber;
    /** The WhatsApp sender, e.g. whatsapp:+14155238886. */
    private String whatsappFrom;
    /** A Messaging Service SID (MG…) to send SMS from instead of one number. */
    private String messagingServiceSid;
    /** The status-callback URL for messages that do not set their own. */
    private String statusCallback;
    /** Where requests go instead of https://api.twilio.com (tests, proxies); plain http only for loopback. */
    private String apiBaseUrl;
    /** Twilio's region for API requests: us1, ie1 or au1 (default: Twilio's, us1). */
    private String region;
    /** Twilio's edge location for API requests, e.g. dublin, sydney or ashburn. */
    private String edge;
    /** The forward proxy; the JVM's https.proxyHost and HTTPS_PROXY apply when these are not set. */
    private final Proxy proxy = new Proxy();
    /** Senders of channel plug-ins by channel id, e.g. twilio.senders.messenger=messenger:1234567890. */
    private Map<String, String> senders = new LinkedHashMap<>();
    /** The longest wait for a connection (library default 5s). */
    private Duration connectTimeout;
    /** The longest wait for an answer once a request is written (library default 15s). */
    private Duration readTimeout;
    /** The longest one send may take, retries and waits included (library default 30s). */
    private Duration sendDeadline;
    /** When failed requests are retried. */
    private final Retry retry = new Retry();
    /** The twilio health contributor. */
    private final Health health = new Health();
    /** The webhook endpoints. */
    private final Webhooks webhooks = new Webhooks();
    /** Metrics and observations. */
    private final Metrics metrics = new Metrics();

    private final Outbox outbox = new Outbox();
    /** WhatsApp templates: deploying the application's at start, polling their approval status. */
    private final Templates templates = new Templates();

    private final Dashboard dashboard = new Dashboard();

    /** Whether to configure twilio-channels at all (default true). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The Account SID. */
    public String getAccountSid() {
        return accountSid;
    }

    /** Sets the Account SID. */
    public void setAccountSid(String accountSid) {
        this.accountSid = accountSid;
    }

    /** The auth token (secret). */
    public String getAuthToken() {
        return authToken;
    }

    /** Sets the auth token. */
    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    /** The API key SID. */
    public String getApiKey() {
        return apiKey;
    }

    /** Sets the API key SID. */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** The API key's secret. */
    public String getApiSecret() {
        return apiSecret;
    }

    /** Sets the API key's secret. */
    public void setApiSecret(String apiSecret) {
        this.apiSecret = apiSecret;
    }

    /** The SMS sender. */
    public String getPhoneNumber() {
        return phoneNumber;
    }

    /** Sets the SMS sender. */
    public void setPhoneNumber(String phoneNumber) {
        this.phoneNumber = phoneNumber;
    }

    /** The WhatsApp sender. */
    public String getWhatsappFrom() {
        return whatsappFrom;
    }

    /** Sets the WhatsApp sender. */
    public void setWhatsappFrom(String whatsappFrom) {
        this.whatsappFrom = whatsappFrom;
    }

    /** The Messaging Service SID. */
    public String getMessagingServiceSid() {
        return messagingServiceSid;
    }

    /** Sets the Messaging Service SID. */
    public void setMessagingServiceSid(String messagingServiceSid) {
        this.messagingServiceSid = messagingServiceSid;
    }

    /** The default status-callback URL. */
    public String getStatusCallback() {
        return statusCallback;
    }

    /** Sets the default status-callback URL. */
    public void setStatusCallback(String statusCallback) {
        this.statusCallback = statusCallback;
    }

    /** The API base URL override. */
    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    /** Sets the API base URL override. */
    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }

    /** Twilio's region. */
    public String getRegion() {
        return region;
    }

    /** Sets Twilio's region. */
    public void setRegion(String region) {
        this.region = region;
    }

    /** Twilio's edge location. */
    public String getEdge() {
        return edge;
    }

    /** Sets Twilio's edge location. */
    public void setEdge(String edge) {
        this.edge = edge;
    }

    /** Proxy settings. */
    public Proxy getProxy() {
        return proxy;
    }

    /** Senders of channel plug-ins by channel id. */
    public Map<String, String> getSenders() {
        return senders;
    }

    /** Sets the senders of channel plug-ins. */
    public void setSenders(Map<String, String> senders) {
        this.senders = senders;
    }

    /** The connect timeout, or null for the library's default. */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** Sets the connect timeout. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** The read timeout, or null for the library's default. */
    public Duration getReadTimeout() {
        return readTimeout;
    }

    /** Sets the read timeout. */
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** The send deadline, or null for the library's default. */
    public Duration getSendDeadline() {
        return sendDeadline;
    }

    /** Sets the send deadline. */
    public void setSendDeadline(Duration sendDeadline) {
        this.sendDeadline = sendDeadline;
    }

    /** Retry settings. */
    public Retry getRetry() {
        return retry;
    }

    /** Health settings. */
    public Health getHealth() {
        return health;
    }

    /** Webhook settings. */
    public Webhooks getWebhooks() {
        return webhooks;
    }

    /** Metrics settings. */
    public Metrics getMetrics() {
        return metrics;
    }

    /** Never shows the auth token or the API secret. */
    @Override
    public String toString() {
        return "TwilioProperties[accountSid=" + accountSid + ", authToken=" + (authToken == null ? "unset" : "(secret)")
                + ", apiKey=" + apiKey + ", apiSecret=" + (apiSecret == null ? "unset" : "(secret)")
                + ", phoneNumber=" + phoneNumber + ", whatsappFrom=" + whatsappFrom + ", messagingServiceSid="
                + messagingServiceSid + ", apiBaseUrl=" + apiBaseUrl + ", region=" + region + ", edge=" + edge
                + ", proxy.url=" + (proxy.url == null ? "unset" : "(set)") + "]";
    }

    /** {@code twilio.proxy.*}: the forward proxy, when it is not the JVM's or {@code HTTPS_PROXY}. */
    public static class Proxy {
        /** The proxy to use, http://[user:password@]host:port, or "direct" for none; wins over https.proxyHost and HTTPS_PROXY. */
        private String url;
        /** Hosts reached without the proxy, as NO_PROXY lists them (e.g. localhost,.internal.example.com); wins over NO_PROXY and http.nonProxyHosts. */
        private String noProxy;

        /** The proxy URL, or {@code direct}. */
        public String getUrl() {
            return url;
        }

        /** Sets the proxy URL. */
        public void setUrl(String url) {
            this.url = url;
        }

        /** The hosts reached without the proxy. */
        public String getNoProxy() {
            return noProxy;
        }

        /** Sets the hosts reached without the proxy. */
        public void setNoProxy(String noProxy) {
            this.noProxy = noProxy;
        }
    }

    /** {@code twilio.retry.*}: when failed requests are tried again. */
    public static class Retry {
        /** Attempts in all, at least 1 (library default 4). */
        private Integer maxAttempts;
        /** Whether a send whose answer was lost (5xx, timeout) is settled from Twilio's message log (library default true). */
        private Boolean settleFromLog;
        /** The wait before the message log is read (library default 5s). */
        private Duration settleDelay;
        /**
         * Whether a send whose answer was lost (5xx, timeout) is sent again at the backoff instead of
         * settled from the log, whatever settle-from-log says; it may then be delivered twice (library
         * default false).
         */
        private Boolean retryAmbiguousFailures;

        /** Attempts in all, or null for the library's default. */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** Sets the attempts in all. */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** Whether lost answers are settled from the message log, or null for the library's default. */
        public Boolean getSettleFromLog() {
            return settleFromLog;
        }

        /** Sets whether lost answers are settled from the message log. */
        public void setSettleFromLog(Boolean settleFromLog) {
            this.settleFromLog = settleFromLog;
        }

        /** The wait before the log is read, or null for the library's default. */
        public Duration getSettleDelay() {
            return settleDelay;
        }

        /** Sets the wait before the log is read. */
        public void setSettleDelay(Duration settleDelay) {
            this.settleDelay = settleDelay;
        }

        /** Whether lost answers are sent again blindly, or null for the library's default. */
        public Boolean getRetryAmbiguousFailures() {
            return retryAmbiguousFailures;
        }

        /** Sets whether lost answers are sent again blindly instead of settled from the log. */
        public void setRetryAmbiguousFailures(Boolean retryAmbiguousFailures) {
            this.retryAmbiguousFailures = retryAmbiguousFailures;
        }
    }

    /** {@code twilio.health.*}: the {@code twilio} health contributor. */
    public static class Health {
        /** Whether the health check also calls Twilio (account and number look-ups); off by default. */
        private boolean live;
        /** How long a live check's result is reused before Twilio is asked again. */
        private Duration cacheFor = Duration.ofMinutes(5);

        /** Whether the check calls Twilio (default false). */
        public boolean isLive() {
            return live;
        }

        /** Sets whether the check calls Twilio. */
        public void setLive(boolean live) {
            this.live = live;
        }

        /** How long a live result is reused (default 5 minutes). */
        public Duration getCacheFor() {
            return cacheFor;
        }

        /** Sets how long a live result is reused. */
        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }

    /** {@code twilio.webhooks.*}: the verified webhook endpoints. */
    public static class Webhooks {
        /** Whether to serve POST {path}/inbound and {path}/status. */
        private boolean enabled = true;
        /** The base path of the endpoints. */
        private String path = "/twilio";
        /** The scheme, host and path prefix Twilio calls (behind a proxy that does not send forwarded headers), e.g. https://example.com. */
        private String publicBaseUrl;
        /** How many recent deliveries are remembered to drop duplicates. */
        private int deduplicationCapacity = 10_000;

        /** Whether the endpoints are served (default true). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the endpoints are served. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The base path (default {@code /twilio}). */
        public String getPath() {
            return path;
        }

        /** Sets the base path. */
        public void setPath(String path) {
            this.path = path;
        }

        /** The public base URL, or null to use the URL as received (after forwarded headers, when trusted). */
        public String getPublicBaseUrl() {
            return publicBaseUrl;
        }

        /** Sets the public base URL. */
        public void setPublicBaseUrl(String publicBaseUrl) {
            this.publicBaseUrl = publicBaseUrl;
        }

        /** How many delivery keys are remembered (default 10,000). */
        public int getDeduplicationCapacity() {
            return deduplicationCapacity;
        }

        /** Sets how many delivery keys are remembered. */
        public void setDeduplicationCapacity(int deduplicationCapacity) {
            this.deduplicationCapacity = deduplicationCapacity;
        }
    }

    /** {@code twilio.metrics.*}: the Micrometer listener. */
    public static class Metrics {
        /** Whether sends and webhooks are recorded when a MeterRegistry is present. */
        private boolean enabled = true;

        /** Whether metrics are recorded (default true). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether metrics are recorded. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The outbox settings ({@code twilio.outbox.*}). */
    public Outbox getOutbox() {
        return outbox;
    }

    /** {@code twilio.outbox.*}: the outbox, when {@code twilio-channels-outbox} and a DataSource are present. */
    public static class Outbox {
        /** Whether the outbox is wired when its module and a DataSource are present. */
        private boolean enabled = true;

        /** Prefix of the outbox's table names. */
        private String tablePrefix = "twilio_";

        /** Whether this instance runs a worker that sends queued messages. */
        private boolean worker = true;

        /** Whether the outbox is wired (default true). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the outbox is wired. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The table-name prefix (default {@code twilio_}). */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /** Sets the table-name prefix. */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** Whether this instance runs a worker (default true). */
        public boolean isWorker() {
            return worker;
        }

        /** Sets whether this instance runs a worker. */
        public void setWorker(boolean worker) {
            this.worker = worker;
        }
    }

    /** The dashboard settings ({@code twilio.dashboard.*}). */
    public Dashboard getDashboard() {
        return dashboard;
    }

    /**
     * {@code twilio.dashboard.*}: the outbox's page, served when {@code twilio-channels-dashboard}
     * and a DataSource are present and {@code enabled} is true.
     */
    public static class Dashboard {
        /** Whether the page is served (off unless set). */
        private boolean enabled;

        /** Where the page is served. */
        private String path = "/twilio/dashboard";

        /** Whether to serve the page without Spring Security (to anyone who can reach the application). */
        private boolean allowWithoutSecurity;

        /** How often the page reloads itself. */
        private Duration refresh = Duration.ofSeconds(30);

        /** The account's cap in messages per second drawn on the charts; default the worker's pacing cap. */
        private Double accountCap;

        /** The page's title. */
        private String title = "Outbox";

        /** Whether the page is served (default false). */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether the page is served. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The page's path (default {@code /twilio/dashboard}). */
        public String getPath() {
            return path;
        }

        /** Sets the page's path. */
        public void setPath(String path) {
            this.path = path;
        }

        /** Whether the page is served without Spring Security (default false: refused at start). */
        public boolean isAllowWithoutSecurity() {
            return allowWithoutSecurity;
        }

        /** Sets whether the page is served without Spring Security. */
        public void setAllowWithoutSecurity(boolean allowWithoutSecurity) {
            this.allowWithoutSecurity = allowWithoutSecurity;
        }

        /** How often the page reloads itself (default 30 s, at least 5 s). */
        public Duration getRefresh() {
            return refresh;
        }

        /** Sets how often the page reloads itself. */
        public void setRefresh(Duration refresh) {
            this.refresh = refresh;
        }

        /** The cap drawn on the charts in messages per second (default: the worker's pacing account cap). */
        public Double getAccountCap() {
            return accountCap;
        }

        /** Sets the cap drawn on the charts. */
        public void setAccountCap(Double accountCap) {
            this.accountCap = accountCap;
        }

        /** The page's title (default {@code Outbox}). */
        public String getTitle() {
            return title;
        }

        /** Sets the page's title. */
        public void setTitle(String title) {
            this.title = title;
        }
    }

    /** {@code twilio.templates.*}: the application's WhatsApp templates. */
    public Templates getTemplates() {
        return templates;
    }

    /** {@code twilio.templates.*}: deploying the application's WhatsApp templates and polling their status. */
    public static class Templates {
        /** How often the approval status of the deployed templates is read from Twilio; 0 turns polling off. */
        private Duration pollEvery = Duration.ofMinutes(5);

        /** Whether the application's ContentTemplate beans are deployed (found or created at Twilio) when it starts. */
        private boolean deployOnStart;

        /** How often the status is polled (default 5 minutes; 0 = never). */
        public Duration getPollEvery() {
            return pollEvery;
        }

        /** Sets how often the status is polled. */
        public void setPollEvery(Duration pollEvery) {
            this.pollEvery = pollEvery;
        }

        /** Whether ContentTemplate beans are deployed at start (default false). */
        public boolean isDeployOnStart() {
            return deployOnStart;
        }

        /** Sets whether ContentTemplate beans are deployed at start. */
        public void setDeployOnStart(boolean deployOnStart) {
            this.deployOnStart = deployOnStart;
        }
    }
}
