package org.twiliochannels.core.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.internal.Timing;

/**
 * A small blocking HTTP/1.1 client: the whole exchange runs on the caller's thread, one request per
 * connection at a time, connections kept alive per host and reused most-recently-used first.
 *
 * <ul>
 *   <li>Time: opening a connection (name look-up, TCP connect, proxy tunnel, TLS handshake) ends
 *       by the connect timeout or the deadline, whichever comes first; the exchange (writing and
 *       waiting for the whole answer) by the read timeout or the deadline. Reads wait at most the
 *       time left; a {@link DeadlineWatch} closes the connection under anything else that outlives
 *       it (a write the peer never reads, a handshake trickled a byte at a time). The name look-up
 *       runs on a helper thread, so the caller stops waiting for it when the time is up.</li>
 *   <li>A kept-alive connection is checked without blocking before reuse: one the peer closed (or
 *       sent anything on) while idle is discarded, so a request is not written into a connection
 *       that is already gone. A connection idle for {@link #IDLE_LIMIT_SECONDS} or longer is closed
 *       instead of reused, when the pool is next used for its host, or at {@link #close()}.</li>
 *   <li>Failures say whether the request may have left: never before the first byte of the
 *       request is written (connecting, the tunnel and the handshake come first).</li>
 *   <li>Answers are read strictly ({@link Http1Connection#readAnswer}): one refused after the
 *       request was written is a failure that may have reached the server, never a success and
 *       never "not sent".</li>
 *   <li>Nothing is logged.</li>
 * </ul>
 */
public final class Http1Client implements AutoCloseable {
    public static final long IDLE_LIMIT_SECONDS = 50;

    private final HttpProxy proxy;
    private final String proxyAuthorization;
    private final long connectTimeoutNanos;
    /** Null for the JVM's default (its trust store, its protocols), looked up at the first TLS connection. */
    private final SSLSocketFactory tlsSockets;
    /** Time for idle bookkeeping ({@link System#nanoTime()}; tests move it). */
    private final LongSupplier idleClock;
    /** At most 4 look-ups at once; a look-up that outlives its caller's time keeps its thread until it ends. */
    private final ExecutorService resolver = resolver();
    private final DeadlineWatch watch = new DeadlineWatch();
    private final Map<Route, Deque<Http1Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param proxy the forward proxy, if any
     * @param proxyAuthorization the {@code Proxy-Authorization} value for it, or null
     * @param tlsSockets TLS sockets to layer on connections, or null for the JVM's default
     */
    public Http1Client(Optional<HttpProxy> proxy, String proxyAuthorization, long connectTimeoutNanos,
            SSLSocketFactory tlsSockets) {
        this(proxy, proxyAuthorization, connectTimeoutNanos, tlsSockets, System::nanoTime);
    }

    /** As above, with {@code idleClock} deciding how long a connection has been idle. */
    public Http1Client(Optional<HttpProxy> proxy, String proxyAuthorization, long connectTimeoutNanos,
            SSLSocketFactory tlsSockets, LongSupplier idleClock) {
        this.idleClock = idleClock;
        this.proxy = proxy.orElse(null);
        this.proxyAuthorization = proxyAuthorization;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.tlsSockets = tlsSockets;
    }

    /** One request: {@code headers} are name and value pairs besides {@code Host} and {@code Content-Length}. */
    public record Request(String method, URI target, List<String[]> headers, byte[] body, String where) {}

    /** Where a connection goes: the host (through the proxy or not) and whether it speaks TLS. */
    private record Route(boolean tls, String host, int port, boolean viaProxy) {
        String authority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A proxy's refusal to open a tunnel: its answer is the answer to the request. */
    private static final class TunnelRefused extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Http1Answer answer;

        TunnelRefused(Http1Answer answer) {
            super("the proxy answered " + answer.status() + " to CONNECT", null);
            this.answer = answer;
        }
    }

    /**
     * Sends {@code request} and reads its answer by {@code deadlineNanos} and within
     * {@code readTimeoutNanos}; any failure is an {@link IoFailure} saying whether the request may
     * have left.
     */
    public Http1Answer exchange(Request request, long deadlineNanos, long readTimeoutNanos) {
        Route route = route(request.target());
        byte[] head;
        try {
            head = head(request, route);
        } catch (IllegalArgumentException e) {
            throw new IoFailure("not sent: " + request.where() + ": " + e.getMessage(), false,
                    new IOException(e.getMessage(), e));
        }
        Http1Connection connection = pooled(route);
        if (connection == null) {
            try {
                connection = open(route, request.where(), deadlineNanos);
            } catch (TunnelRefused refused) {
                return refused.answer;
            }
        }
        long now = System.nanoTime();
        if (deadlineNanos - now <= 0) {
            park(route, connection);
            throw new IoFailure("not sent: no time left before the deadline for " + request.where()
                    + " once connected", false, new SocketTimeoutException("deadline passed"));
        }
        long answerBy = Timing.earlier(deadlineNanos, now + readTimeoutNanos);
        watch.watch(connection, answerBy);
        if (closed) {
            // close() ran between taking the connection and watching it, and may not have seen it
            watch.release(connection);
            connection.close();
            throw new IoFailure("not sent: " + request.where() + ": this client was closed", false,
                    new IOException("transport closed"));
        }
        try {
            connection.write(head, request.body());
            Http1Answer answer = connection.readAnswer(answerBy, "HEAD".equals(request.method()));
            boolean stillOurs = watch.release(connection);
            // not ours: the watch found the deadline passed and is closing the connection
            if (answer.keepAlive() && stillOurs && !closed) {
                park(route, connection);
            } else {
                connection.close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            watch.release(connection);
            connection.close();
            throw noAnswer(request.where(), e, connection.expired() || e instanceof SocketTimeoutException,
                    answerBy == deadlineNanos, readTimeoutNanos);
        }
    }

    private IoFailure noAnswer(String where, Exception e, boolean timedOut, boolean deadlineFirst, long readTimeoutNanos) {
        IOException cause = e instanceof IOException io ? io : new IOException(describe(e), e);
        if (closed) {
            return new IoFailure("no answer to " + where + ": this client was closed", true, cause);
        }
        if (e instanceof ClosedByInterruptException) {
            return new IoFailure("interrupted while waiting for " + where, true, cause);
        }
        if (timedOut) {
            return new IoFailure("no answer to " + where + (deadlineFirst ? " before the deadline"
                    : " within the read timeout (" + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms)"),
                    true, cause);
        }
        return new IoFailure("no answer to " + where + ": " + describe(e), true, cause);
    }

    private Route route(URI target) {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        String host = target.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = target.getPort() != -1 ? target.getPort() : tls ? 443 : 80;
        return new Route(tls, host, port, proxy != null && !proxy.bypasses(host));
    }

    /** The request line and headers, ready to write; a target with non-ASCII characters is written percent-encoded. */
    private byte[] head(Request request, Route route) {
        URI target = request.target();
        if (!ascii(target.getRawPath()) || !ascii(target.getRawQuery())) {
            target = URI.create(target.toASCIIString());
        }
        String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        boolean defaultPort = route.port() == (route.tls() ? 443 : 80);
        String host = defaultPort ? (route.host().indexOf(':') >= 0 ? "[" + route.host() + "]" : route.host())
                : route.authority();
        StringBuilder s = new StringBuilder(512);
        s.append(request.method()).append(' ');
        if (route.viaProxy() && !route.tls()) {
            s.append("http://").append(host);
        }
        s.append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String[] header : request.headers()) {
            headerLine(s, header[0], header[1]);
        }
        if (route.viaProxy() && !route.tls() && proxyAuthorization != null) {
            headerLine(s, "Proxy-Authorization", proxyAuthorization);
        }
        if (request.body() != null) {
            s.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        s.append("\r\n");
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean ascii(String s) {
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0x7e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void headerLine(StringBuilder s, String name, String value) {
        if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name.strip() + " holds a line break");
        }
        s.append(name).append(": ").append(value).append("\r\n");
    }

    /** A kept-alive connection to {@code route} that is still usable, or null. */
    private Http1Connection pooled(Route route) {
        Deque<Http1Connection> connections = idle.get(route);
        if (connections == null) {
            return null;
        }
        long now = idleClock.getAsLong();
        for (Http1Connection c = connections.pollLast(); c != null; c = connections.pollLast()) {
            if (now - c.idleSince() < TimeUnit.SECONDS.toNanos(IDLE_LIMIT_SECONDS) && c.reusable()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void park(Route route, Http1Connection connection) {
        long now = idleClock.getAsLong();
        connection.markIdle(now);
        Deque<Http1Connection> connections = idle.computeIfAbsent(route, r -> new ConcurrentLinkedDeque<>());
        connections.offerLast(connection);
        for (Http1Connection oldest = connections.peekFirst();
                oldest != null && now - oldest.idleSince() >= TimeUnit.SECONDS.toNanos(IDLE_LIMIT_SECONDS);
                oldest = connections.peekFirst()) {
            if (connections.remove(oldest)) {
                oldest.close();
            }
        }
        if (closed && connections.remove(connection)) {
            connection.close();
        }
    }

    /** A new connection to {@code route}, through the tunnel and the TLS handshake, or a not-sent failure. */
    private Http1Connection open(Route route, String where, long deadlineNanos) throws TunnelRefused {
        long started = System.nanoTime();
        long connectBy = Timing.earlier(deadlineNanos, started + connectTimeoutNanos);
        boolean deadlineFirst = connectBy == deadlineNanos;
        Http1Connection connection = null;
        try {
            String host = route.viaProxy() ? proxy.host() : route.host();
            int port = route.viaProxy() ? proxy.port() : route.port();
            connection = new Http1Connection(connect(host, port, connectBy));
            watch.watch(connection, connectBy);
            connection.usePlain();
            if (route.viaProxy() && route.tls()) {
                tunnel(connection, route, connectBy);
            }
            if (route.tls()) {
                SSLSocketFactory factory = tlsSockets != null ? tlsSockets : (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket tls = (SSLSocket) factory.createSocket(connection.channel().socket(), route.host(), route.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                connection.use(tls);
                tls.setSoTimeout(Http1Connection.millisLeft(connectBy));
                tls.startHandshake();
            }
            if (!watch.release(connection)) {
                // the watch found the time up just as the handshake ended and is closing the connection
                throw new SocketTimeoutException("the time was up as the connection was ready");
            }
            if (closed) {
                connection.close();
                throw new IoFailure("not sent: " + where + ": this client was closed", false,
                        new IOException("transport closed"));
            }
            return connection;
        } catch (TunnelRefused refused) {
            release(connection);
            throw refused;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IoFailure failure) {
                throw failure;
            }
            boolean expired = connection != null && connection.expired();
            release(connection);
            IOException cause = e instanceof IOException io ? io : new IOException(describe(e), e);
            if (closed) {
                throw new IoFailure("not sent: " + where + ": this client was closed", false, cause);
            }
            if (expired || e instanceof SocketTimeoutException) {
                throw new IoFailure("not sent: could not connect for " + where + (deadlineFirst ? " before the deadline"
                        : " within the connect timeout (" + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms)"),
                        false, cause);
            }
            throw new IoFailure("not sent: could not connect for " + where + ": " + describe(e), false, cause);
        }
    }

    private void release(Http1Connection connection) {
        if (connection != null) {
            watch.release(connection);
            connection.close();
        }
    }

    /**
     * A connected channel to one of {@code host}'s addresses, tried in turn; each gets an equal share
     * of the time left, so one address that drops packets does not use up the time of the others.
     */
    private SocketChannel connect(String host, int port, long connectByNanos) throws IOException {
        IOException last = null;
        InetAddress[] addresses = resolve(host, connectByNanos);
        for (int i = 0; i < addresses.length; i++) {
            long share = (connectByNanos - System.nanoTime()) / (addresses.length - i);
            if (share <= 0) {
                break;
            }
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                channel.socket().connect(new InetSocketAddress(addresses[i], port),
                        Http1Connection.millisLeft(System.nanoTime() + share));
                return channel;
            } catch (IOException e) {
                channel.close();
                last = e;
                if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                        || e instanceof ClosedByInterruptException) {
                    break;
                }
            }
        }
        throw last != null ? last : new SocketTimeoutException("no time left to connect to " + host);
    }

    /** {@code host}'s addresses, looked up on a helper thread that the caller waits for no longer than the time left. */
    private InetAddress[] resolve(String host, long byNanos) throws IOException {
        if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return InetAddress.getAllByName(host);
        }
        Future<InetAddress[]> lookup;
        try {
            lookup = resolver.submit(() -> InetAddress.getAllByName(host));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IOException("transport closed", e);
        }
        try {
            return lookup.get(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new SocketTimeoutException("the look-up of " + host + " took longer than the time left");
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during the look-up of " + host);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(describe(cause), cause);
        }
    }

    /** Opens a {@code CONNECT} tunnel to {@code route} through the proxy connected on {@code connection}. */
    private void tunnel(Http1Connection connection, Route route, long byNanos) throws IOException {
        StringBuilder s = new StringBuilder("CONNECT ").append(route.authority()).append(" HTTP/1.1\r\nHost: ")
                .append(route.authority()).append("\r\n");
        if (proxyAuthorization != null) {
            headerLine(s, "Proxy-Authorization", proxyAuthorization);
        }
        s.append("\r\n");
        connection.write(s.toString().getBytes(StandardCharsets.ISO_8859_1), null);
        Http1Answer answer = connection.readAnswer(byNanos, true);
        if (answer.status() == 407) {
            throw new TunnelRefused(answer);
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new IOException("the proxy refused the tunnel to " + route.authority() + " (HTTP " + answer.status() + ")");
        }
        if (!connection.reusable()) {
            throw new IOException("the proxy sent more than its answer to CONNECT");
        }
    }


    private static ExecutorService resolver() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(4, 4, 30,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                Transports.daemonThreads("twilio-channels-resolve-"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    /** True once {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    /**
     * Closes every connection, idle or in use (exchanges in flight end with an {@link IoFailure}),
     * and ends this client's threads, waiting at most a second for each kind.
     */
    @Override
    public void close() {
        closed = true;
        for (Deque<Http1Connection> connections : idle.values()) {
            for (Http1Connection c = connections.pollFirst(); c != null; c = connections.pollFirst()) {
                c.close();
            }
        }
        for (Http1Connection c : watch.inFlight()) {
            c.close();
        }
        watch.close();
        resolver.shutdownNow();
        try {
            // a look-up in progress cannot be interrupted; it is not waited for beyond this
            resolver.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
