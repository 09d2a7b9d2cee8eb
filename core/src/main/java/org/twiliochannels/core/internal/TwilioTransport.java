package org.twiliochannels.core.internal;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.twiliochannels.core.TwilioConfig;

/**
 * The SDK's HTTP hook: every request the Twilio SDK builds for a channel goes out through here.
 * It sends each request exactly once (the SDK's own replay of 5xx answers is switched off), sends
 * it to the configured base URL, applies connect and read timeouts capped by the caller's
 * deadline, and turns failures into {@link HttpFailure} (an HTTP error answer) or
 * {@link IoFailure} (classified by whether the request may have reached Twilio). Not API.
 */
public final class TwilioTransport extends HttpClient implements AutoCloseable {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
    private static final String USER_AGENT = "twilio-channels/" + Versions.LIBRARY + " twilio-java/"
            + Versions.TWILIO_SDK + " (Java " + Runtime.version().feature() + ")";

    private final URI baseUrl;
    private final Duration readTimeout;
    private final RequestConfig fullReadTimeout;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;

    /** A transport for one channel, with a pool of {@code config.maxConcurrentRequests()} connections. */
    public TwilioTransport(TwilioConfig config) {
        this.baseUrl = config.usesCustomApiBaseUrl() ? config.apiBaseUrl() : null;
        this.readTimeout = config.readTimeout();
        this.fullReadTimeout = requestConfig(Timeout.of(config.readTimeout()));
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(config.maxConcurrentRequests())
                .setMaxConnPerRoute(config.maxConcurrentRequests())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(config.connectTimeout()))
                        .setSocketTimeout(Timeout.of(config.readTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .build();
    }

    /**
     * Runs {@code body} so that every request this transport makes on this thread ends by
     * {@code deadlineNanos} (a {@link System#nanoTime()} value).
     */
    public static <T> T withDeadline(long deadlineNanos, java.util.function.Supplier<T> body) {
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
        URI target = target(request.constructURL());
        HttpMethod method = request.getMethod();
        HttpUriRequestBase builder = new HttpUriRequestBase(method.toString(), target);
        if (request.requiresAuthentication()) {
            builder.addHeader("Authorization", request.getAuthString());
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (String value : header.getValue()) {
                builder.addHeader(header.getKey(), value);
            }
        }
        builder.setHeader("Accept", "application/json");
        builder.setHeader("User-Agent", USER_AGENT);
        if (method == HttpMethod.POST || method == HttpMethod.PUT) {
            if (request.getContentType() == EnumConstants.ContentType.JSON) {
                builder.setEntity(new StringEntity(request.getBody(), ContentType.APPLICATION_JSON));
            } else {
                builder.setEntity(new StringEntity(request.encodeFormBody(), ContentType.APPLICATION_FORM_URLENCODED));
            }
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(attemptConfig());
        Received received;
        try {
            received = http.execute(builder, context, response -> new Received(
                    response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                    response.getEntity() == null ? null : response.getEntity().getContentType(),
                    response.getHeaders()));
        } catch (IOException e) {
            throw classify(method, target, e);
        }
        if (received.status >= 400) {
            throw new HttpFailure(ErrorBodies.parse(received.status, received.contentType, received.body),
                    retryAfter(received.headers));
        }
        return new Response(received.body, received.status, received.headers);
    }

    private record Received(int status, String body, String contentType, Header[] headers) {}

    /** The read timeout, or less when the caller's deadline is nearer. */
    private RequestConfig attemptConfig() {
        Long deadline = DEADLINE.get();
        long left = deadline == null ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left >= readTimeout.toNanos()) {
            return fullReadTimeout;
        }
        return requestConfig(Timeout.of(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS));
    }

    private static RequestConfig requestConfig(Timeout wait) {
        return RequestConfig.custom().setResponseTimeout(wait).setConnectionRequestTimeout(wait).build();
    }

    private URI target(URL twilioUrl) {
        try {
            if (baseUrl == null) {
                return twilioUrl.toURI();
            }
            String path = twilioUrl.getPath();
            String query = twilioUrl.getQuery();
            return URI.create(baseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK built an invalid URL: " + e.getMessage(), e);
        }
    }

    private static IoFailure classify(HttpMethod method, URI target, IOException e) {
        String where = method + " " + target.getScheme() + "://" + target.getAuthority() + target.getPath();
        if (e instanceof ConnectException || e instanceof ConnectTimeoutException
                || e instanceof UnknownHostException || e instanceof NoRouteToHostException
                || e instanceof SSLHandshakeException || e instanceof ConnectionRequestTimeoutException) {
            return new IoFailure("could not connect for " + where + ": " + describe(e), false, e);
        }
        return new IoFailure("no answer to " + where + ": " + describe(e), true, e);
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    private static Duration retryAfter(Header[] headers) {
        for (Header h : headers) {
            if (h.getName().equalsIgnoreCase("Retry-After") && h.getValue() != null) {
                String v = h.getValue().strip();
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
        }
        return null;
    }

    /** Closes every connection. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
        pool.close(CloseMode.GRACEFUL);
    }
}
