package org.twiliochannels.core.internal;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioError;

/**
 * The SDK's HTTP hook: every request the Twilio SDK builds for an account goes out through here,
 * on the JDK's {@link java.net.http.HttpClient} (HTTP/1.1).
 *
 * <ul>
 *   <li>Each request is sent exactly once: the SDK's own replay of 5xx answers is switched off, and
 *       the JDK client never repeats a POST.</li>
 *   <li>The caller's deadline ({@link #withDeadline}) bounds every phase of an attempt — name
 *       look-up, TCP connect, TLS handshake, writing and waiting — because the caller waits on the
 *       exchange for no longer than the time left and then cancels it. The JDK client's own request
 *       timeout is the read timeout or the time left, whichever is shorter.</li>
 *   <li>Failures become {@link HttpFailure} (an answer of HTTP 400 or above) or {@link IoFailure},
 *       which says whether the request may have reached Twilio: it surely did not when the
 *       connection, the name look-up or the TLS handshake failed, or when the body of a POST was
 *       never handed to the connection.</li>
 *   <li>The JDK client writes no log line unless the JVM is started with one of its logging
 *       properties ({@code jdk.httpclient.HttpClient.log}, {@code jdk.internal.httpclient.debug});
 *       this class logs nothing either. Credentials travel only in headers.</li>
 *   <li>Requests go to the configured base URL, or to Twilio's host for the configured region and
 *       edge, through the configured forward proxy if any.</li>
 * </ul>
 *
 * <p>HTTP/1.1 on purpose: one request per connection at a time keeps "was the request written?"
 * provable, and the JDK client notices a connection the server closed while idle before reusing
 * it. HTTP/2's stream resets and {@code GOAWAY} replays would blur that, and test servers on plain
 * http do not speak it.
 *
 * <p>Not API.
 */
public final class TwilioTransport extends HttpClient implements AutoCloseable {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
    private static final String USER_AGENT = "twilio-channels/" + Versions.LIBRARY + " twilio-java/"
            + Versions.TWILIO_SDK + " (Java " + Runtime.version().feature() + ")";
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "date", "via", "warning", "from", "user-agent", "accept", "authorization", "content-type",
            "proxy-authorization");
    /** {@code SendAt} as the SDK writes it: a UTC date-time without its zone. */
    private static final Pattern ZONELESS_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
    /** Set on a caller's thread while it hands a request to the JDK client. */
    private static final ThreadLocal<Boolean> STARTING = new ThreadLocal<>();
    /** {@code HttpClient.shutdownNow()} on Java 21 and later, else null. */
    private static final MethodHandle SHUTDOWN_NOW = shutdownNow();

    private final URI baseUrl;
    private final String region;
    private final String edge;
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private final Optional<HttpProxy> proxy;
    private final int maxConcurrentRequests;
    private final Semaphore permits;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * {@code Proxy-Authorization}, sent with every request rather than after a 407 challenge: the
     * JDK client passes it to the proxy only (for a plain-http request through the proxy, or the
     * {@code CONNECT} that opens a tunnel) and strips it from requests sent directly or inside a
     * tunnel. For {@code CONNECT} it drops Basic unless {@code jdk.http.auth.tunneling.disabledSchemes}
     * allows it, exactly as it would for credentials from an {@code Authenticator}.
     */
    private final String proxyAuthorization;
    /** Starts exchanges off the caller's thread (see {@link #executor}). */
    private final ExecutorService starter = Executors.newCachedThreadPool(Transports.daemonThreads());
    private final java.net.http.HttpClient http;
    private volatile boolean closed;

    /**
     * A transport for one account: at most {@code config.maxConcurrentRequests()} requests in
     * flight at once, through {@code config.proxy()} when set.
     */
    public TwilioTransport(TwilioConfig config) {
        this.baseUrl = config.usesCustomApiBaseUrl() ? config.apiBaseUrl() : null;
        this.region = config.region().orElse(null);
        this.edge = config.edge().orElse(null);
        this.readTimeout = config.readTimeout();
        this.connectTimeout = config.connectTimeout();
        this.proxy = config.proxy();
        this.maxConcurrentRequests = config.maxConcurrentRequests();
        this.permits = new Semaphore(maxConcurrentRequests);
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .executor(this::execute);
        proxy.ifPresent(p -> builder.proxy(new ConfiguredProxy(p)));
        this.proxyAuthorization = proxy.flatMap(p -> p.username().flatMap(user -> p.password().map(password ->
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password.revealSecret())
                        .getBytes(StandardCharsets.UTF_8))))).orElse(null);
        this.http = builder.build();
    }

    /**
     * Runs {@code body} so that every request this transport makes on this thread ends by
     * {@code deadlineNanos} (a {@link System#nanoTime()} value).
     */
    public static <T> T withDeadline(long deadlineNanos, Supplier<T> body) {
        Long previous = DEADLINE.get();
        DEADLINE.set(deadlineNanos);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(previous);
            }
        }
    }

    /**
     * The SDK client for {@code config}'s credentials on this transport. Unlike a plain
     * {@link TwilioRestClient}, it does not write the SDK's DEBUG description of each request,
     * which lists query parameters: the {@code To} and {@code From} numbers of a message-log
     * look-up.
     */
    public TwilioRestClient restClient(TwilioConfig config) {
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(config.credentials().username(),
                config.credentials().revealPassword())
                .accountSid(config.credentials().accountSid().value())
                .httpClient(this);
        return new QuietRestClient(builder);
    }

    /** The SDK's client without its request description at DEBUG. */
    private static final class QuietRestClient extends TwilioRestClient {
        QuietRestClient(TwilioRestClient.Builder builder) {
            super(builder);
        }

        /** Nothing: the SDK's version logs query parameters, which hold phone numbers. */
        @Override
        public void logRequest(Request request) {
            // deliberately silent
        }
    }

    /** One attempt only: retries are {@link RequestRunner}'s decision, not the SDK's. */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    /** One attempt only, whatever the SDK asks for. */
    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        long started = System.nanoTime();
        Long deadline = DEADLINE.get();
        long budget = deadline == null ? connectTimeout.plus(readTimeout).toNanos() : deadline - started;
        URI target = target(request.constructURL());
        HttpMethod method = request.getMethod();
        String where = method + " " + target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath();
        if (closed) {
            throw new IoFailure("not sent: this client is closed (" + where + ")", false,
                    new IOException("transport closed"));
        }
        if (budget <= 0) {
            throw new IoFailure("not sent: no time left before the deadline for " + where, false,
                    new IOException("deadline passed"));
        }
        TrackedBody body = body(request, method);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(Duration.ofNanos(Math.min(readTimeout.toNanos(), budget)))
                .method(method.toString(), body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (request.requiresAuthentication()) {
            builder.header("Authorization", request.getAuthString());
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    builder.header(header.getKey(), value);
                }
            }
        }
        builder.header("Accept", "application/json");
        builder.header("User-Agent", USER_AGENT);
        if (proxyAuthorization != null) {
            builder.header("Proxy-Authorization", proxyAuthorization);
        }
        if (body != null) {
            builder.header("Content-Type", body.contentType);
        }
        HttpRequest httpRequest = builder.build();

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
        HttpResponse<byte[]> response;
        try {
            response = exchange(httpRequest, budget - (System.nanoTime() - started), where, body);
        } finally {
            permits.release();
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        if (status == 407) {
            throw new HttpFailure(proxyRefused(target), retryAfter(response.headers()));
        }
        if (status >= 400) {
            throw new HttpFailure(ErrorBodies.parse(status, contentType, text), retryAfter(response.headers()));
        }
        return new Response(text, status, headers(response.headers()));
    }

    /**
     * The JDK client's executor. The task that starts an exchange (the JDK client hands it over from
     * the caller's thread, in {@code sendAsync}) runs on {@link #starter}, because it resolves the
     * host name and opens the connection, which the caller's deadline must bound. Every other task
     * (writing, reading, completing the response) runs at once on the thread that submits it, the
     * JDK client's selector thread or the starter's thread, instead of hopping to a pool thread:
     * none of them blocks, the body handler only collects bytes, and callers wait on the future from
     * their own thread. Measured against the JDK client's default cached pool: about a third less
     * client CPU per send.
     */
    private void execute(Runnable task) {
        if (STARTING.get() != null) {
            starter.execute(task);
        } else {
            task.run();
        }
    }

    /** Sends and waits at most {@code waitNanos}; on any failure the exchange is cancelled. */
    private HttpResponse<byte[]> exchange(HttpRequest request, long waitNanos, String where, TrackedBody body) {
        CompletableFuture<HttpResponse<byte[]>> future;
        STARTING.set(Boolean.TRUE);
        try {
            future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            throw new IoFailure("not sent: " + where + " could not be started (" + e.getClass().getSimpleName() + ")",
                    false, new IOException(e.getClass().getSimpleName(), e));
        } finally {
            STARTING.remove();
        }
        inFlight.add(future);
        try {
            return future.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            boolean reached = body == null || body.started();
            throw new IoFailure((reached ? "no answer to " : "not sent: could not connect for ") + where
                    + " before the deadline (" + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms left)"
                    + (reached ? "" : "; the request was never written"), reached,
                    new java.net.http.HttpTimeoutException("deadline reached"));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            boolean reached = body == null || body.started();
            throw new IoFailure("interrupted while waiting for " + where, reached,
                    new java.io.InterruptedIOException("interrupted"));
        } catch (CancellationException e) {
            throw closedWhileInFlight(where, body);
        } catch (ExecutionException e) {
            if (closed) {
                throw closedWhileInFlight(where, body);
            }
            throw classify(where, e.getCause(), body);
        } finally {
            inFlight.remove(future);
        }
    }

    private static IoFailure closedWhileInFlight(String where, TrackedBody body) {
        boolean reached = body == null || body.started();
        return new IoFailure((reached ? "no answer to " : "not sent: ") + where + ": this client was closed",
                reached, new IOException("cancelled by close()"));
    }

    /** A form or JSON body for POST and PUT, else null. */
    private static TrackedBody body(Request request, HttpMethod method) {
        if (method != HttpMethod.POST && method != HttpMethod.PUT) {
            return null;
        }
        if (request.getContentType() == EnumConstants.ContentType.JSON) {
            return new TrackedBody(request.getBody() == null ? "" : request.getBody(), "application/json");
        }
        return new TrackedBody(formBody(request.getPostParams()), "application/x-www-form-urlencoded; charset=utf-8");
    }

    /**
     * The form body as the SDK encodes it, except {@code SendAt}: the SDK writes it without a zone;
     * Twilio types it as an RFC 3339 date-time, and the library always gives it in UTC, so it gets
     * its {@code Z}.
     */
    static String formBody(Map<String, List<String>> params) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String value : e.getValue()) {
                if (value == null) {
                    continue;
                }
                String v = "SendAt".equals(e.getKey()) && ZONELESS_DATE_TIME.matcher(value).matches() ? value + "Z" : value;
                if (s.length() > 0) {
                    s.append('&');
                }
                s.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
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

    private static IoFailure classify(String where, Throwable failure, TrackedBody body) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        IOException io = cause instanceof IOException e ? e : new IOException(describe(cause), cause);
        if (neverConnected(cause)) {
            return new IoFailure("not sent: could not connect for " + where + ": " + describe(cause), false, io);
        }
        if (body != null && !body.started()) {
            return new IoFailure("not sent: " + where + " failed before the request was written: " + describe(cause),
                    false, io);
        }
        return new IoFailure("no answer to " + where + ": " + describe(cause), true, io);
    }

    /** True when the failure, or one of its causes, happened before a connection was usable. */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    private TwilioError proxyRefused(URI target) {
        HttpProxy p = proxy.orElse(null);
        String who = p == null ? "a proxy between this application and Twilio" : "the proxy " + p.host() + ":" + p.port();
        StringBuilder m = new StringBuilder(who).append(" asked for credentials (HTTP 407) and did not accept ");
        if (p == null || p.username().isEmpty()) {
            m.append("the request without them: give the proxy's user name and password (HttpProxy.withCredentials,"
                    + " or user:password@ in HTTPS_PROXY)");
        } else {
            m.append("the ones configured: check the proxy user name and password");
            if ("https".equalsIgnoreCase(target.getScheme())) {
                m.append(". For https through a proxy, Java sends Basic credentials only when the JVM is started with"
                        + " -Djdk.http.auth.tunneling.disabledSchemes= (empty): Basic is disabled for CONNECT tunnels"
                        + " by default");
            }
        }
        return new TwilioError(407, OptionalInt.empty(), m.toString(), Optional.empty());
    }

    static Duration retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static Header[] headers(HttpHeaders headers) {
        List<Header> all = new ArrayList<>();
        headers.map().forEach((name, values) -> values.forEach(v -> all.add(new BasicHeader(name, v))));
        return all.toArray(new Header[0]);
    }

    /**
     * Ends the transport: later requests fail at once as not sent, requests still in flight are
     * cancelled, and on Java 21 and later every connection is closed now (before, idle connections
     * close when the JDK client is collected).
     */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> f : inFlight) {
            f.cancel(true);
        }
        starter.shutdown();
        if (SHUTDOWN_NOW != null) {
            try {
                SHUTDOWN_NOW.invoke(http);
            } catch (Throwable ignored) {
                // closing is best effort: the connections also close when the client is collected
            }
        }
    }

    private static MethodHandle shutdownNow() {
        try {
            return MethodHandles.publicLookup().findVirtual(java.net.http.HttpClient.class, "shutdownNow",
                    MethodType.methodType(void.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
        }
    }

    /** A request body that remembers whether the JDK client began to send it. */
    private static final class TrackedBody implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher delegate;
        private final String contentType;
        private volatile boolean started;

        TrackedBody(String text, String contentType) {
            this.delegate = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
            this.contentType = contentType;
        }

        /** True once the body was handed to the connection, after the connection and headers were ready. */
        boolean started() {
            return started;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            started = true;
            delegate.subscribe(subscriber);
        }
    }

    /** Sends requests through the configured proxy, except to the hosts it is bypassed for. */
    private static final class ConfiguredProxy extends ProxySelector {
        private final HttpProxy proxy;
        private final List<Proxy> through;

        ConfiguredProxy(HttpProxy proxy) {
            this.proxy = proxy;
            this.through = List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
        }

        @Override
        public List<Proxy> select(URI uri) {
            return uri.getHost() != null && proxy.bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : through;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
            // one proxy only: nothing to fall back to
        }
    }
}
