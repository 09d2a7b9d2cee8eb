package org.twiliochannels.core.internal.twilio;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioError;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.internal.TwilioHosts;
import org.twiliochannels.core.internal.http.Http1Answer;
import org.twiliochannels.core.internal.http.Http1Client;
import org.twiliochannels.core.internal.http.IoFailure;

/**
 * Carries the requests the Twilio SDK builds for an account ({@link TwilioApi} hands them over) on
 * the library's own blocking HTTP/1.1 client ({@link Http1Client}), the whole exchange on the
 * caller's thread, and turns every answer but a 2xx into a failure.
 *
 * <ul>
 *   <li>Each request is sent exactly once: the SDK's own HTTP layer (its replay of 5xx answers, its
 *       logging) is never used, and nothing below repeats a request.</li>
 *   <li>The caller's deadline (a parameter of {@link #send}) bounds every phase of an attempt — name
 *       look-up, TCP connect, proxy tunnel, TLS handshake, writing and waiting. Opening a connection
 *       also ends by the connect timeout, the exchange by the read timeout.</li>
 *   <li>Failures become {@link HttpFailure} (any answer but a 2xx) or {@link IoFailure},
 *       which says whether the request may have reached Twilio: it surely did not when the
 *       connection, the name look-up, the tunnel or the TLS handshake failed, since the request is
 *       written only after them.</li>
 *   <li>Nothing here writes a log line, at any level; credentials travel only in headers.</li>
 *   <li>Requests go to the configured base URL, or to Twilio's host for the configured region and
 *       edge, through the configured forward proxy if any (Basic credentials are sent to the proxy
 *       only: with a plain-http request through it, or with the {@code CONNECT} that opens a
 *       tunnel).</li>
 * </ul>
 *
 * <p>HTTP/1.1 on purpose: one request per connection at a time keeps "was the request written?"
 * provable, and a kept-alive connection the server closed while idle is noticed before reuse.
 * HTTP/2's stream resets and {@code GOAWAY} replays would blur that.
 *
 * <p>Package-private: {@link TwilioApi} is its one user; other packages reach it through
 * {@link TwilioApi}'s constructors and {@link TwilioApi#sharedClient}. Not API.
 */
final class TwilioTransport implements AutoCloseable {
    private static final String USER_AGENT = "twilio-channels/" + Versions.LIBRARY + " twilio-java/"
            + Versions.TWILIO_SDK + " (Java " + Runtime.version().feature() + ")";
    /** Headers this transport sets itself; the SDK's values for them are not used. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "te", "transfer-encoding", "keep-alive", "proxy-connection", "user-agent", "accept",
            "authorization", "content-type", "proxy-authorization");
    /** {@code Retry-After}'s delay-seconds form (RFC 9110): digits only. */
    private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+");

    private final URI baseUrl;
    private final String region;
    private final String edge;
    private final Duration readTimeout;
    private final Optional<HttpProxy> proxy;
    private final int maxConcurrentRequests;
    private final Semaphore permits;
    private final Http1Client http;
    /** False when {@link #http} is shared by many accounts and closed by its owner. */
    private final boolean ownsHttp;
    private volatile boolean closed;

    /**
     * A transport for one account: at most {@code config.maxConcurrentRequests()} requests in
     * flight at once, through {@code config.proxy()} when set.
     */
    TwilioTransport(TwilioConfig config) {
        this(config, (javax.net.ssl.SSLSocketFactory) null);
    }

    /** As {@link #TwilioTransport(TwilioConfig)}, with TLS sockets from {@code tlsSockets} (tests: a loopback certificate). */
    TwilioTransport(TwilioConfig config, javax.net.ssl.SSLSocketFactory tlsSockets) {
        this(config, new Http1Client(config.proxy(), proxyAuthorization(config.proxy()),
                Timing.nanos(config.connectTimeout()), tlsSockets), true);
    }

    /**
     * A transport for one account on connections shared with other accounts: this account's own
     * limit of {@code config.maxConcurrentRequests()} requests in flight, {@code shared}'s
     * connections (made by {@link #sharedClient} for the same proxy and connect timeout).
     * {@link #close()} ends this account's use of them; the owner of {@code shared} closes it.
     */
    TwilioTransport(TwilioConfig config, Http1Client shared) {
        this(config, shared, false);
    }

    private TwilioTransport(TwilioConfig config, Http1Client http, boolean ownsHttp) {
        this.baseUrl = config.usesCustomApiBaseUrl() ? config.apiBaseUrl() : null;
        this.region = config.region().orElse(null);
        this.edge = config.edge().orElse(null);
        this.readTimeout = config.readTimeout();
        this.proxy = config.proxy();
        this.maxConcurrentRequests = config.maxConcurrentRequests();
        this.permits = new Semaphore(maxConcurrentRequests);
        this.http = http;
        this.ownsHttp = ownsHttp;
    }

    /**
     * An HTTP client for {@code config}'s proxy and connect timeout, for many accounts' transports
     * ({@link #TwilioTransport(TwilioConfig, Http1Client)}) to share.
     */
    static Http1Client sharedClient(TwilioConfig config) {
        return new Http1Client(config.proxy(), proxyAuthorization(config.proxy()),
                Timing.nanos(config.connectTimeout()), null);
    }

    private static String proxyAuthorization(Optional<HttpProxy> proxy) {
        return proxy.flatMap(p -> p.username().flatMap(user -> p.password().map(password ->
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password.revealSecret())
                        .getBytes(StandardCharsets.UTF_8))))).orElse(null);
    }

    /**
     * Sends {@code request} once, ending by {@code deadlineNanos} ({@link System#nanoTime()} scale):
     * the answer when it is a 2xx, else an {@link HttpFailure}; an {@link IoFailure} when there is
     * no answer.
     */
    Response send(Request request, long deadlineNanos) {
        long started = System.nanoTime();
        long budget = deadlineNanos - started;
        URI target = target(request.constructURL());
        HttpMethod method = request.getMethod();
        String where = method + " " + target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath();
        if (closed || (ownsHttp && http.closed())) {
            throw new IoFailure("not sent: this client is closed (" + where + ")", false,
                    new IOException("transport closed"));
        }
        if (http.closed()) {
            throw new IoFailure("not sent: the TwilioInfrastructure this account shares is closed (" + where
                    + "); close accounts before their infrastructure, or open the account on an open one", false,
                    new IOException("shared transport closed"));
        }
        if (budget <= 0) {
            throw new IoFailure("not sent: no time left before the deadline for " + where, false,
                    new IOException("deadline passed"));
        }
        byte[] body = null;
        String contentType = null;
        if (method == HttpMethod.POST || method == HttpMethod.PUT) {
            boolean json = request.getContentType() == EnumConstants.ContentType.JSON;
            body = (json ? (request.getBody() == null ? "" : request.getBody()) : formBody(request.getPostParams()))
                    .getBytes(StandardCharsets.UTF_8);
            contentType = json ? "application/json" : "application/x-www-form-urlencoded; charset=utf-8";
        }
        List<String[]> headers = new ArrayList<>(8);
        if (request.requiresAuthentication()) {
            headers.add(new String[] {"Authorization", request.getAuthString()});
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    headers.add(new String[] {header.getKey(), value});
                }
            }
        }
        headers.add(new String[] {"Accept", "application/json"});
        headers.add(new String[] {"User-Agent", USER_AGENT});
        if (contentType != null) {
            headers.add(new String[] {"Content-Type", contentType});
        }

        boolean permitted;
        try {
            permitted = permits.tryAcquire(budget, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IoFailure("not sent: interrupted while waiting for a connection for " + where, false,
                    new java.io.InterruptedIOException("interrupted"));
        }
        if (!permitted) {
            throw new IoFailure("not sent: all " + maxConcurrentRequests + " connections stayed busy until the"
                    + " deadline for " + where, false, new IOException("no free connection"));
        }
        Http1Answer answer;
        try {
            answer = http.exchange(new Http1Client.Request(method.toString(), target, headers, body, where),
                    started + budget, Timing.nanos(readTimeout));
        } finally {
            permits.release();
        }
        int status = answer.status();
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        if (status == 407) {
            throw new HttpFailure(proxyRefused(), retryAfter(answer.header("Retry-After")));
        }
        if (status >= 400) {
            throw new HttpFailure(ErrorBodies.parse(status, answer.header("Content-Type"), text),
                    retryAfter(answer.header("Retry-After")));
        }
        if (status < 200 || status >= 300) {
            // The SDK would parse a 3xx as a success; Twilio's API never answers one, so the request was not processed.
            throw new HttpFailure(notTwilio(status, answer.header("Location"), where), (HttpFailure.RetryAfter) null);
        }
        return new Response(text, status, headers(answer));
    }

    /** The form body: each parameter and value percent-encoded in UTF-8, in the SDK's order. */
    static String formBody(Map<String, List<String>> params) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String value : e.getValue()) {
                if (value == null) {
                    continue;
                }
                if (s.length() > 0) {
                    s.append('&');
                }
                s.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    /** Where the SDK's URL goes: the custom base URL, or Twilio's host for the region and edge. */
    URI target(URL twilioUrl) {
        String path = twilioUrl.getPath();
        String query = twilioUrl.getQuery();
        String rest = path + (query == null || query.isEmpty() ? "" : "?" + query);
        try {
            if (baseUrl != null) {
                return URI.create(baseUrl + rest);
            }
            if (region == null && edge == null) {
                return twilioUrl.toURI();
            }
            String port = twilioUrl.getPort() == -1 ? "" : ":" + twilioUrl.getPort();
            return URI.create(twilioUrl.getProtocol() + "://" + TwilioHosts.regional(twilioUrl.getHost(), region, edge)
                    + port + rest);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the SDK built an invalid URL: " + e.getMessage(), e);
        }
    }

    private TwilioError proxyRefused() {
        HttpProxy p = proxy.orElse(null);
        String who = p == null ? "a proxy between this application and Twilio" : "the proxy " + p.host() + ":" + p.port();
        StringBuilder m = new StringBuilder(who).append(" asked for credentials (HTTP 407) and did not accept ");
        if (p == null || p.username().isEmpty()) {
            m.append("the request without them: give the proxy's user name and password (HttpProxy.withCredentials,"
                    + " or user:password@ in HTTPS_PROXY)");
        } else {
            m.append("the ones configured: check the proxy user name and password");
        }
        return new TwilioError(407, OptionalInt.empty(), m.toString(), Optional.empty());
    }

    /**
     * The failure for an answer that is neither a success nor an error: a redirect (3xx, never
     * followed), or an interim status as the final answer. Twilio's API answers neither, so the
     * request went somewhere else and was not processed. {@code Location} is shown without its
     * user info and query, which may hold credentials or tickets.
     */
    private static TwilioError notTwilio(int status, String location, String where) {
        String to = "";
        if (location != null) {
            try {
                URI l = URI.create(location.strip());
                to = l.getHost() == null ? " to " + l.getRawPath()
                        : " to " + l.getScheme() + "://" + l.getHost() + (l.getPort() == -1 ? "" : ":" + l.getPort())
                        + l.getRawPath();
            } catch (IllegalArgumentException unreadable) {
                to = " to an unreadable Location";
            }
        }
        String what = status >= 300 ? "a redirect" + to + ", not followed" : "an interim status as the final answer";
        return new TwilioError(status, OptionalInt.empty(), "the server answered HTTP " + status + " (" + what + ") to "
                + where + "; Twilio's API never answers so, so the request was not processed. Check TWILIO_API_BASE_URL"
                + " (TwilioConfig.apiBaseUrl) and any proxy or gateway that redirects requests, e.g. to a login page.",
                Optional.empty());
    }

    /**
     * {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. Seconds too
     * many for a long are {@code Long.MAX_VALUE} seconds: the runner compares the wait with the time
     * left, so any value is safe to return. A date stays a date here; the runner turns it into a
     * wait with the engine's clock ({@link HttpFailure#retryAfter(java.time.Instant)}).
     */
    static HttpFailure.RetryAfter retryAfter(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (DELAY_SECONDS.matcher(v).matches()) {
            try {
                return HttpFailure.RetryAfter.ofDelay(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooMany) {
                return HttpFailure.RetryAfter.ofDelay(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        try {
            return HttpFailure.RetryAfter.ofDate(java.time.ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static Header[] headers(Http1Answer answer) {
        Header[] all = new Header[answer.headers().size()];
        for (int i = 0; i < all.length; i++) {
            String[] h = answer.headers().get(i);
            all[i] = new BasicHeader(h[0], h[1]);
        }
        return all;
    }

    /** True when the connections are shared with other accounts and their owner closed them. */
    boolean sharedClosed() {
        return !ownsHttp && http.closed();
    }

    /**
     * Ends the transport: later requests fail at once as not sent, and every connection is closed
     * now, so requests still in flight end as failures saying the client was closed. On shared
     * connections, only this account's later requests are refused; the connections stay open for
     * the other accounts (requests in flight end by their own deadline).
     */
    @Override
    public void close() {
        closed = true;
        if (ownsHttp) {
            http.close();
        }
    }
}
