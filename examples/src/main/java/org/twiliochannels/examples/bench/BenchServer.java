package org.twiliochannels.examples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that answers message creation like Twilio (201 and a message resource) after
 * a configurable latency, without holding a thread while it waits, and optionally enforces a rate
 * limit with 429 answers the way Twilio does (token bucket). It counts the TCP connections it is
 * sent requests on (one remote address and port each).
 *
 * <p>The benchmarks run it in a JVM of its own ({@link #main}, driven by {@link RemoteServer}), so
 * that the client's CPU is measured without the server's.
 */
public final class BenchServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService delays;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong sids = new AtomicLong();
    private final AtomicLong firstRequest = new AtomicLong();
    private final AtomicLong lastRequest = new AtomicLong();
    private final Set<InetSocketAddress> everSeen = ConcurrentHashMap.newKeySet();
    private final Set<InetSocketAddress> sinceReset = ConcurrentHashMap.newKeySet();
    private final AtomicLong opened = new AtomicLong();
    private final Set<String> recipients = ConcurrentHashMap.newKeySet();
    private final AtomicLong repeated = new AtomicLong();
    private volatile long latencyMillis;
    private TokenBucket bucket;

    BenchServer(long latencyMillis) throws IOException {
        // Without nodelay each keep-alive answer stalls ~40 ms; Twilio keeps idle connections open,
        // the JDK server would close all but 200 of them at once. RemoteServer passes both on the
        // child's command line, where they are sure to be read before the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
        this.latencyMillis = latencyMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.workers = Executors.newFixedThreadPool(2, daemon("bench-server"));
        this.delays = Executors.newScheduledThreadPool(1, daemon("bench-delay"));
        server.setExecutor(null); // handle on the dispatcher thread: no hand-off per request
        server.createContext("/", this::handle);
        server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** Answers 429 beyond {@code perSecond} requests per second (burst {@code burst}); {@code 0} turns it off. */
    synchronized void rateLimit(double perSecond, int burst) {
        this.bucket = perSecond <= 0 ? null : new TokenBucket(perSecond, burst);
    }

    long requests() {
        return requests.get();
    }

    long rateLimited() {
        return rateLimited.get();
    }

    /** Distinct connections requests arrived on since the reset. */
    long connectionsUsed() {
        return sinceReset.size();
    }

    /** Connections first seen since the reset. */
    long connectionsOpened() {
        return opened.get();
    }

    /** Distinct {@code To} values of the accepted message creations since the reset. */
    long recipients() {
        return recipients.size();
    }

    /** Accepted message creations since the reset whose {@code To} had been accepted before: duplicates. */
    long repeatedRecipients() {
        return repeated.get();
    }

    void resetCounters() {
        recipients.clear();
        repeated.set(0);
        sinceReset.clear();
        opened.set(0);
        requests.set(0);
        rateLimited.set(0);
        firstRequest.set(0);
        lastRequest.set(0);
    }

    /** Requests per second arriving here between the first and the last request since the reset. */
    double arrivalRate() {
        long n = requests.get();
        long span = lastRequest.get() - firstRequest.get();
        return n < 2 || span <= 0 ? 0 : (n - 1) / (span / 1e9);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] form = exchange.getRequestBody().readAllBytes();
        InetSocketAddress peer = exchange.getRemoteAddress();
        sinceReset.add(peer);
        if (everSeen.add(peer)) {
            opened.incrementAndGet();
        }
        long now = System.nanoTime();
        firstRequest.compareAndSet(0, now);
        lastRequest.accumulateAndGet(now, Math::max);
        requests.incrementAndGet();
        TokenBucket b;
        synchronized (this) {
            b = bucket;
        }
        if (b != null && !b.take()) {
            rateLimited.incrementAndGet();
            respond(exchange, 429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/20429\",\"status\":429}");
            return;
        }
        if (!recipients.add(to(form))) {
            repeated.incrementAndGet();
        }
        String sid = String.format("SM%032x", sids.incrementAndGet());
        String body = "{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"num_segments\":\"1\",\"to\":\"+14155551234\","
                + "\"from\":\"+15005550006\",\"body\":\"hi\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}";
        long delay = latencyMillis;
        if (delay <= 0) {
            respond(exchange, 201, body);
        } else {
            delays.schedule(() -> {
                try {
                    respond(exchange, 201, body);
                } catch (IOException ignored) {
                    exchange.close();
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The {@code To} parameter of a form-encoded request body, decoded ({@code ""} without one). */
    private static String to(byte[] form) {
        for (String pair : new String(form, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("To=")) {
                return URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        delays.shutdownNow();
    }

    /**
     * The server in a JVM of its own: prints {@code port N}, then answers one line per command read
     * from standard input ({@code latency MS}, {@code rate PER_SECOND BURST}, {@code reset},
     * {@code stats}, {@code recipients}) and stops at the end of input.
     */
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (BenchServer server = new BenchServer(args.length > 0 ? Long.parseLong(args[0]) : 0)) {
            out.println("port " + server.baseUrl().getPort());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.strip().split(" ");
                switch (w[0]) {
                    case "latency" -> server.latency(Long.parseLong(w[1]));
                    case "rate" -> server.rateLimit(Double.parseDouble(w[1]), Integer.parseInt(w[2]));
                    case "reset" -> server.resetCounters();
                    case "recipients" -> {
                        out.printf(Locale.ROOT, "recipients %d %d%n", server.recipients(), server.repeatedRecipients());
                        continue;
                    }
                    case "stats" -> {
                        out.printf(Locale.ROOT, "stats %d %d %.3f %d %d %d%n", server.requests(), server.rateLimited(),
                                server.arrivalRate(), server.connectionsUsed(), server.connectionsOpened(), processCpuNanos());
                        continue;
                    }
                    default -> {
                        out.println("error unknown command " + w[0]);
                        continue;
                    }
                }
                out.println("ok");
            }
        }
    }

    /** CPU time used by this whole process, in nanoseconds (0 where the JVM does not tell). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** Twilio-style limiter: refills at a steady rate, holds at most {@code burst} tokens. */
    static final class TokenBucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double perSecond, int burst) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
