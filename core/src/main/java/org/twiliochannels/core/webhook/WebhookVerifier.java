package org.twiliochannels.core.webhook;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * Verifies that a webhook request came from Twilio and turns it into an {@link InboundMessage} or
 * a {@link StatusCallback}. Works the same from a Servlet filter, a Spring controller, a JAX-RS
 * resource or {@code com.sun.net.httpserver}. Every bad request, malformed ones included, ends in
 * {@link WebhookRejectedException} (answer 403); nothing else is thrown for what a request holds.
 *
 * <p><b>What is checked</b>, in order: the size of the URL and body; the body's encoding; the
 * {@code X-Twilio-Signature} header, which is Base64 of HMAC-SHA1 keyed with the auth token over
 * the URL Twilio called followed by every parameter name and value sorted by name (for a JSON body,
 * over the URL alone, whose {@code bodySHA256} must then be the SHA-256 of the body); then the
 * fields Twilio always sends. The signature scheme concatenates names and values, so a genuine
 * request can be replayed with a name/value boundary shifted (say {@code ErrorCode} folded into
 * {@code ApiVersion}) under the same signature; the field checks make such replays fail:
 * {@code AccountSid} must be this verifier's account, {@code ApiVersion} {@code 2010-04-01},
 * {@code MessageSid} {@code SM}/{@code MM} and 32 hex digits, {@code MessageStatus} one of
 * Twilio's statuses, {@code From}/{@code To}/{@code Body}/{@code NumMedia} present on inbound
 * messages and in Twilio's forms, {@code ErrorCode} numeric, the media fields consistent with
 * {@code NumMedia}, and parameter names made of ASCII letters and digits.
 *
 * <p><b>Ports.</b> A signature holds for the port it was made for. Twilio may sign
 * {@code https://host/path} and deliver to {@code https://host:443/path} or the other way round, so
 * for the scheme's default port (443 for https, 80 for http) both forms are tried; for any other
 * port the received port must be the signed one.
 *
 * <p><b>Behind a proxy or load balancer</b> the URL the application sees (say
 * {@code http://10.0.0.7:8080/twilio/sms}) is not the one Twilio called and signed
 * ({@code https://example.com/twilio/sms}), and every signature fails. Give the public base URL
 * with {@link Builder#publicBaseUrl(URI)}: the path and query the application received are then
 * appended to it.
 *
 * <p><b>Events.</b> Every call of {@link #verify} reports one
 * {@link TwilioEventListener#webhookVerified} to the builder's listeners: the kind
 * ({@code inbound}, {@code status}, or {@code unknown} when the parameters could not be read or
 * name neither), whether it was accepted, and the reason's fixed {@linkplain Reason#tag() tag}.
 *
 * <p>Thread-safe; build one per account and share it.
 */
public final class WebhookVerifier {
    /** The longest received URL accepted, in characters. */
    public static final int MAX_URL_CHARS = 8_192;
    /** The longest body accepted, in characters (Twilio's messaging webhooks are a few kilobytes). */
    public static final int MAX_BODY_CHARS = 1 << 20;
    /** The most parameters accepted in one request. */
    public static final int MAX_PARAMETERS = 1_000;
    /** The {@code ApiVersion} Twilio sends with every messaging webhook. */
    static final String API_VERSION = "2010-04-01";

    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final AccountSid accountSid;
    private final AuthToken authToken;
    private final URI publicBaseUrl;
    private final List<TwilioEventListener> listeners;

    private WebhookVerifier(Builder b) {
        this.accountSid = b.accountSid;
        this.authToken = b.authToken;
        this.publicBaseUrl = b.publicBaseUrl;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * A verifier for webhooks of {@code accountSid}, signed with its auth token (API keys do not
     * sign webhooks).
     */
    public static Builder builder(AccountSid accountSid, AuthToken authToken) {
        return new Builder(accountSid, authToken);
    }

    /**
     * A verifier for the account of {@code config}, which must authenticate with the auth token.
     *
     * @throws IllegalArgumentException when {@code config} uses an API key: Twilio signs webhooks
     *         with the auth token, so give it with {@link #builder(AccountSid, AuthToken)}
     */
    public static Builder builder(TwilioConfig config) {
        Objects.requireNonNull(config, "config");
        TwilioCredentials credentials = config.credentials();
        if (credentials.apiKey().isPresent()) {
            throw new IllegalArgumentException("the config authenticates with API key " + credentials.apiKey().get()
                    + ", but Twilio signs webhooks with the account's auth token; use"
                    + " WebhookVerifier.builder(accountSid, authToken) with the auth token of "
                    + credentials.accountSid() + " (Twilio Console > Account Info)");
        }
        return new Builder(credentials.accountSid(), AuthToken.of(credentials.revealPassword()));
    }

    /** The account whose webhooks this verifier accepts. */
    public AccountSid accountSid() {
        return accountSid;
    }

    /**
     * The URL Twilio signed for a request received on {@code receivedUrl}: unchanged, or the
     * public base URL followed by the received path and query.
     *
     * @throws WebhookRejectedException when {@code receivedUrl} is not an absolute http(s) URL with
     *         a host and a valid port, or is longer than {@link #MAX_URL_CHARS}
     */
    public String signedUrl(String receivedUrl) {
        Objects.requireNonNull(receivedUrl, "receivedUrl");
        if (receivedUrl.length() > MAX_URL_CHARS) {
            throw new WebhookRejectedException(Reason.TOO_LARGE, "the received URL has " + receivedUrl.length()
                    + " characters; at most " + MAX_URL_CHARS + " are accepted");
        }
        URI received = parseUrl(receivedUrl);
        if (publicBaseUrl == null) {
            return receivedUrl;
        }
        String path = received.getRawPath() == null ? "" : received.getRawPath();
        String base = publicBaseUrl.toString();
        if (base.endsWith("/") && path.startsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + path + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery());
    }

    /**
     * Verifies the request and reads it.
     *
     * @throws WebhookRejectedException with the reason; answer 403 and ignore the request
     */
    public TwilioWebhook verify(WebhookRequest request) {
        return reported(listeners, Objects.requireNonNull(request, "request"), this::check);
    }

    /** What {@code check} makes of the request, with one {@code webhookVerified} event told to {@code listeners}. */
    static TwilioWebhook reported(List<TwilioEventListener> listeners, WebhookRequest request,
                                  java.util.function.BiFunction<WebhookRequest, String[], TwilioWebhook> check) {
        String[] kind = {"unknown"};
        TwilioWebhook webhook;
        try {
            webhook = check.apply(request, kind);
        } catch (WebhookRejectedException e) {
            emit(listeners, new WebhookVerified(kind[0], false, e.reason().tag()));
            throw e;
        }
        emit(listeners, new WebhookVerified(webhook instanceof StatusCallback ? "status" : "inbound", true, ""));
        return webhook;
    }

    /**
     * Verifies and reads the request without reporting an event; {@code kind[0]} is set to what
     * the request is as soon as that is known ({@link MultiAccountWebhookVerifier} reports once).
     */
    TwilioWebhook check(WebhookRequest request, String[] kind) {
        String url = signedUrl(request.url());
        String body = request.jsonBody().or(request::formBody).orElse(null);
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw new WebhookRejectedException(Reason.TOO_LARGE, "the body has " + body.length()
                    + " characters; at most " + MAX_BODY_CHARS + " are accepted");
        }
        Map<String, List<String>> multi = request.parameters();
        checkSize(multi);
        if (request.jsonBody().isEmpty()) {
            kind[0] = kindOf(multi.keySet());
        }
        String signature = request.signature().map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new WebhookRejectedException(Reason.MISSING_SIGNATURE, "no X-Twilio-Signature"
                        + " header: the request did not come from Twilio, or a proxy dropped the header"));
        List<String> signedForms = signedForms(url);
        Map<String, String> params;
        if (request.jsonBody().isPresent()) {
            verifySignature(signedForms, Map.of(), signature, request.url());
            verifyBodyHash(url, request.jsonBody().get());
            params = flatten(request.jsonBody().get());
            kind[0] = kindOf(params.keySet());
        } else {
            params = new TreeMap<>();
            for (Map.Entry<String, List<String>> e : multi.entrySet()) {
                if (e.getValue().size() > 1) {
                    throw new WebhookRejectedException(Reason.REPEATED_PARAMETER, e.getKey().length() <= 64
                            && WebhookFields.isName(e.getKey()) ? e.getKey() : null, "parameter "
                            + WebhookFields.shownName(e.getKey()) + " appears " + e.getValue().size()
                            + " times; Twilio's messaging webhooks send each parameter once");
                }
                params.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
            }
            verifySignature(signedForms, params, signature, request.url());
            WebhookFields.checkNames(params.keySet());
        }
        return WebhookFields.read(params, request.jsonBody().isEmpty(), accountSid);
    }

    private static void checkSize(Map<String, List<String>> params) {
        long chars = 0;
        int count = 0;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                count++;
                chars += e.getKey().length() + (v == null ? 0 : v.length()) + 2;
            }
        }
        if (count > MAX_PARAMETERS || chars > MAX_BODY_CHARS) {
            throw new WebhookRejectedException(Reason.TOO_LARGE, "the request has " + count + " parameter values and "
                    + chars + " characters; at most " + MAX_PARAMETERS + " and " + MAX_BODY_CHARS + " are accepted");
        }
    }

    private static String kindOf(Iterable<String> names) {
        boolean inbound = false;
        for (String name : names) {
            if (name.equals("MessageStatus")) {
                return "status";
            }
            inbound |= name.equals("Body") || name.equals("NumMedia");
        }
        return inbound ? "inbound" : "unknown";
    }

    private void verifySignature(List<String> signedForms, Map<String, String> sortedParams, String signature,
                                 String receivedUrl) {
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String form : signedForms) {
            match |= MessageDigest.isEqual(sign(form, sortedParams).getBytes(StandardCharsets.UTF_8), given);
        }
        if (!match) {
            String signed = signedForms.get(0);
            throw new WebhookRejectedException(Reason.INVALID_SIGNATURE, "X-Twilio-Signature does not match "
                    + Redact.url(signed) + (publicBaseUrl == null
                            ? "; behind a proxy or load balancer, set publicBaseUrl to the URL Twilio calls"
                            : " (received on " + Redact.url(receivedUrl) + ")")
                    + ", and check that the auth token is that of " + accountSid);
        }
    }

    /** Base64 of HMAC-SHA1 over the URL and every name and value in name order. */
    private String sign(String url, Map<String, String> sortedParams) {
        StringBuilder data = new StringBuilder(url);
        sortedParams.forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.revealSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /**
     * The URLs a signature may have been made for: {@code url} itself and, for the scheme's default
     * port only, the same URL with the port written out or left out.
     */
    private static List<String> signedForms(String url) {
        URI u = parseUrl(url);
        int authorityStart = u.getScheme().length() + 3;
        String authority = u.getRawAuthority();
        String head = url.substring(0, authorityStart);
        String rest = url.substring(authorityStart + authority.length());
        int defaultPort = u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        if (u.getPort() == -1) {
            return List.of(url, head + authority + ":" + defaultPort + rest);
        }
        String written = ":" + defaultPort;
        if (u.getPort() == defaultPort && authority.endsWith(written)) {
            return List.of(url, head + authority.substring(0, authority.length() - written.length()) + rest);
        }
        return List.of(url);
    }

    /** Parses an absolute http(s) URL with a host and a valid port, or rejects it. */
    private static URI parseUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw malformedUrl("is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw malformedUrl("does not start with https:// or http://");
        }
        if (u.isOpaque() || u.getRawAuthority() == null || u.getHost() == null
                || !url.regionMatches(scheme.length(), "://", 0, 3)) {
            throw malformedUrl("has no valid host");
        }
        if (u.getRawAuthority().endsWith(":")) {
            throw malformedUrl("has a colon but no port after the host");
        }
        if (u.getPort() != -1 && (u.getPort() < 1 || u.getPort() > 65_535)) {
            throw malformedUrl("has port " + u.getPort() + ", outside 1 to 65535");
        }
        return u;
    }

    private static WebhookRejectedException malformedUrl(String what) {
        return new WebhookRejectedException(Reason.MALFORMED_URL, "the URL the request was received on " + what
                + "; pass the full URL as received, e.g. https://example.com/twilio/sms?tenant=42");
    }

    private static void verifyBodyHash(String url, String body) {
        String query = parseUrl(url).getRawQuery();
        String expected = null;
        int found = 0;
        if (query != null) {
            for (String pair : query.split("&", -1)) {
                if (pair.startsWith("bodySHA256=")) {
                    expected = pair.substring("bodySHA256=".length());
                    found++;
                }
            }
        }
        if (found != 1) {
            throw new WebhookRejectedException(Reason.BODY_MISMATCH, "a JSON webhook's URL must carry bodySHA256"
                    + " once; " + Redact.url(url) + " has it " + found + " times");
        }
        byte[] actual;
        try {
            actual = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        byte[] hex = HexFormat.of().formatHex(actual).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(hex, expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookRejectedException(Reason.BODY_MISMATCH, "the body does not match its bodySHA256: it was"
                    + " changed after Twilio signed it");
        }
    }

    static Map<String, String> flatten(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new WebhookRejectedException(Reason.MALFORMED_BODY, "the signed JSON body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new WebhookRejectedException(Reason.MALFORMED_BODY, "the signed JSON body is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        return out;
    }

    /** Tells every listener of {@code event}; one that throws is logged at WARN and skipped. */
    static void emit(List<TwilioEventListener> listeners, WebhookVerified event) {
        for (TwilioEventListener l : listeners) {
            try {
                l.webhookVerified(event);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} threw {}; ignored", l.getClass().getName(), e.getClass().getName());
            }
        }
    }

    /** The account and the public base URL; never the auth token. */
    @Override
    public String toString() {
        return "WebhookVerifier[account=" + accountSid + (publicBaseUrl == null ? "" : ", publicBaseUrl="
                + Redact.url(publicBaseUrl.toString())) + ", listeners=" + listeners.size() + "]";
    }

    /** {@code publicBaseUrl} when it is an absolute http(s) base URL, else the builder's exception. */
    static URI checkedBaseUrl(URI publicBaseUrl) {
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        String scheme = publicBaseUrl.getScheme();
        int port = publicBaseUrl.getPort();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || publicBaseUrl.getHost() == null || publicBaseUrl.getRawQuery() != null
                || publicBaseUrl.getRawFragment() != null || publicBaseUrl.getRawUserInfo() != null
                || (port != -1 && (port < 1 || port > 65_535))) {
            throw new IllegalArgumentException("publicBaseUrl \"" + Redact.url(publicBaseUrl.toString())
                    + "\" must be an absolute https or http URL with a host and a port in 1 to 65535, without"
                    + " query, fragment or user info, e.g. https://example.com or https://example.com/api");
        }
        return publicBaseUrl;
    }

    /** Builds a {@link WebhookVerifier}. */
    public static final class Builder {
        private final AccountSid accountSid;
        private final AuthToken authToken;
        private URI publicBaseUrl;
        private final List<TwilioEventListener> listeners = new ArrayList<>();

        private Builder(AccountSid accountSid, AuthToken authToken) {
            this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
            this.authToken = Objects.requireNonNull(authToken, "authToken");
        }

        /**
         * The scheme, host, port and path prefix Twilio calls, e.g. {@code https://example.com} or
         * {@code https://example.com/api} (default: the URL as received is the URL Twilio called).
         *
         * @throws IllegalArgumentException when it is not an absolute http(s) URL with a host, or has
         *         a query, a fragment, user info or a port outside 1 to 65535
         */
        public Builder publicBaseUrl(URI publicBaseUrl) {
            this.publicBaseUrl = checkedBaseUrl(publicBaseUrl);
            return this;
        }

        /**
         * Adds a listener told of every verification through
         * {@link TwilioEventListener#webhookVerified}; may be called several times. Listeners must be
         * fast and must not throw (an exception is logged at WARN and ignored).
         */
        public Builder listener(TwilioEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The verifier. */
        public WebhookVerifier build() {
            return new WebhookVerifier(this);
        }
    }
}
