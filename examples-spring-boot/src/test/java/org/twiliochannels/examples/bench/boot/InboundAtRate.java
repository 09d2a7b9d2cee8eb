package org.twiliochannels.examples.bench.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.outbox.Conversation;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.Question;
import org.twiliochannels.outbox.StateKey;
import org.twiliochannels.outbox.WorkerSettings;
import org.twiliochannels.spring.boot.InboundRoutes;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.WebhookSigner;

/**
 * Signed inbound messages posted to the starter's {@code /twilio/inbound} at a fixed rate while the
 * outbox worker sends (issue #24, "Measured"). Not a test: a {@code main} on the Boot example's test
 * class path, never run by {@code mvn test} (BENCHMARKS.md, "Inbound at 200/s", has the command). Its
 * package is outside {@code org.twiliochannels.examples.boot}, so that the example's component scan
 * does not find this application's configuration.
 *
 * <p>{@code InboundAtRate [RATE] [WARM_UP_S] [MEASURE_S] [OUTBOX_RATE] [PEOPLE]} (defaults 200, 30,
 * 60, 50, 1,000) starts a Boot application (Tomcat on loopback, the starter's router with one
 * {@link Question} bean and a fallback rule, the outbox and its conversations on an H2 file database
 * under {@code target/inbound-bench}, the outbox worker and the conversations' worker running)
 * sending to a {@link FakeTwilio} on loopback. Each inbound SMS comes from one of {@code PEOPLE}
 * numbers, signed as Twilio signs ({@link WebhookSigner}); the router looks up the conversation's
 * open question (none), then the fallback reads the conversation's counter ({@link StateKey}) and
 * writes it back incremented, two transactions, and answers with TwiML. Meanwhile another thread
 * enqueues {@code OUTBOX_RATE} messages per second, which the worker sends to the fake.
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / RATE} and is sent then whether or not
 * earlier answers have come, and its answer time is measured from that due time, so a stalled server
 * shows in the figures instead of slowing the load down (no coordinated omission). First the warm-up
 * at the same rate, then the measured period; p50, p99, p99.9 and max of the measured answers, the
 * rate the requests were sent at, the errors by kind, the messages the worker sent to the fake, and
 * the load average at start and end.
 */
public final class InboundAtRate {
    private static final StateKey<Long> COUNT = StateKey.number("bench-count");
    private static final String OURS = FakeTwilio.DEFAULT_SMS_NUMBER.value();

    private InboundAtRate() {}

    /** What one run measured. */
    record Result(int rate, int sent, int answered, int errors, Map<String, Integer> errorKinds, double achievedRate,
                  long p50Micros, long p99Micros, long p999Micros, long maxMicros, int outboxEnqueued, int fakeReceived,
                  String loadAtStart, String loadAtEnd) {
        String table() {
            return String.format(Locale.ROOT, "rate %d/s: %d sent, %d answered 200 with TwiML, %d errors %s; sent at "
                            + "%.1f/s; answer time p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; outbox: %d "
                            + "enqueued during the run, the fake received %d messages; load average %s -> %s",
                    rate, sent, answered, errors, errorKinds, achievedRate, p50Micros / 1000.0, p99Micros / 1000.0,
                    p999Micros / 1000.0, maxMicros / 1000.0, outboxEnqueued, fakeReceived, loadAtStart, loadAtEnd);
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int measure = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int outboxRate = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int people = args.length > 4 ? Integer.parseInt(args[4]) : 1_000;
        Result r = run(rate, Duration.ofSeconds(warmUp), Duration.ofSeconds(measure), outboxRate, people,
                Path.of("target", "inbound-bench"));
        System.out.println(r.table());
        Files.writeString(Path.of("target", "inbound-bench.md"), r.table() + "\n");
        System.exit(0);
    }

    /** Runs the application, the warm-up and the measured period; the database lives under {@code dir}. */
    static Result run(int rate, Duration warmUp, Duration measure, int outboxRate, int people, Path dir)
            throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        try (FakeTwilio twilio = FakeTwilio.start()) {
            SpringApplication app = new SpringApplication(App.class);
            app.setDefaultProperties(Map.of(
                    "server.port", "0",
                    "server.address", "127.0.0.1",
                    "server.shutdown", "immediate",
                    "bench.database", dir.toAbsolutePath().resolve("db").toString(),
                    "logging.level.root", "WARN",
                    "twilio.account-sid", twilio.accountSid().value(),
                    "twilio.auth-token", twilio.authToken().revealSecret(),
                    "twilio.api-base-url", twilio.baseUrl().toString(),
                    "twilio.phone-number", OURS,
                    "twilio.retry.settle-from-log", "false"));
            try (ConfigurableApplicationContext context = app.run()) {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                String url = "http://localhost:" + port + "/twilio/inbound";
                Load load = new Load(url, new WebhookSigner(twilio.authToken().revealSecret()),
                        twilio.accountSid().value(), people);
                Outbox outbox = context.getBean(Outbox.class);
                Enqueuer enqueuer = new Enqueuer(outbox, outboxRate);
                Thread feeder = new Thread(enqueuer, "bench-enqueue");
                feeder.setDaemon(true);
                feeder.start();
                try {
                    System.err.println("bench: application started, warming up for " + warmUp);
                    load.run(rate, warmUp, null);
                    System.err.println("bench: warm-up done (" + load.errors.get() + " errors " + load.errorKinds
                            + "), measuring for " + measure);
                    int fakeBefore = twilio.sent().size();
                    int enqueuedBefore = enqueuer.count.get();
                    String loadAtStart = loadAverage();
                    long[] latencies = load.run(rate, measure, new Stats());
                    String loadAtEnd = loadAverage();
                    System.err.println("bench: measured, closing");
                    return load.result(rate, latencies, enqueuer.count.get() - enqueuedBefore,
                            twilio.sent().size() - fakeBefore, loadAtStart, loadAtEnd);
                } finally {
                    enqueuer.stop = true;
                    feeder.join(5_000);
                    load.close();
                }
            }
        }
    }

    /** The application: one question (so that the router looks up open questions) and a fallback with state. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        /** The outbox's database: an H2 file, pooled by H2's own pool. */
        @Bean(destroyMethod = "dispose")
        JdbcConnectionPool dataSource(Environment env) {
            String file = env.getRequiredProperty("bench.database");
            JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + file, "sa", "");
            pool.setMaxConnections(32);
            return pool;
        }

        /** The worker's defaults, with our number paced far above the enqueue rate, so that pacing does not hold it. */
        @Bean
        WorkerSettings benchWorkerSettings() {
            return WorkerSettings.builder().pacing(PacingSettings.builder().senderRate(OURS, 1_000).build()).build();
        }

        @Bean
        Question benchQuestion() {
            return Question.named("bench").answer("YES", a -> InboundReply.message("Confirmed."))
                    .timeout(Duration.ofHours(2)).onTimeout(t -> { }).build();
        }

        @Bean
        InboundRoutes benchRoutes(Conversations conversations) {
            return routes -> routes.fallback(e -> {
                var state = conversations.state(Conversation.of(e.message()));
                long n = state.get(COUNT).orElse(0L) + 1;
                state.put(COUNT, n, Duration.ofDays(1));
                return InboundReply.message("Message " + n + " received.");
            });
        }
    }

    /** Enqueues messages at a fixed rate, one transaction each, for the worker to send. */
    private static final class Enqueuer implements Runnable {
        final Outbox outbox;
        final int rate;
        final AtomicInteger count = new AtomicInteger();
        volatile boolean stop;

        Enqueuer(Outbox outbox, int rate) {
            this.outbox = outbox;
            this.rate = rate;
        }

        @Override
        public void run() {
            if (rate <= 0) {
                return;
            }
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (long i = 0; !stop; i++) {
                LockSupport.parkNanos(start + i * interval - System.nanoTime());
                String to = person((int) (i % 1_000));
                outbox.enqueue(OutboxMessage.of("sms", Message.text(to, "Reminder " + i)));
                count.incrementAndGet();
            }
        }
    }

    /** Latencies of the measured requests, in microseconds. */
    private static final class Stats {
        final List<Long> micros = new ArrayList<>();

        synchronized void add(long m) {
            micros.add(m);
        }
    }

    /** The open-loop load: signed requests due at fixed times, answer time from the due time. */
    private static final class Load implements AutoCloseable {
        final String url;
        final WebhookSigner signer;
        final String accountSid;
        final int people;
        final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        final HttpClient client;
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        final AtomicLong seq = new AtomicLong();
        int sent;
        long sendingNanos;
        long lastSent;

        Load(String url, WebhookSigner signer, String accountSid, int people) {
            this.url = url;
            this.signer = signer;
            this.accountSid = accountSid;
            this.people = people;
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        /** Sends at {@code rate} for {@code duration}; with {@code stats}, records and returns the latencies. */
        long[] run(int rate, Duration duration, Stats stats) throws InterruptedException {
            answered.set(0);
            errors.set(0);
            errorKinds.clear();
            int n = (int) (rate * duration.toMillis() / 1000);
            long interval = 1_000_000_000L / rate;
            List<CompletableFuture<?>> pending = new ArrayList<>(n);
            long start = System.nanoTime() + 10_000_000L;
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                HttpRequest request = request(seq.getAndIncrement());
                LockSupport.parkNanos(due - System.nanoTime());
                lastSent = System.nanoTime();
                pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((resp, failure) -> {
                    long micros = (System.nanoTime() - due) / 1000;
                    if (failure == null && resp.statusCode() == 200 && resp.body().contains("<Message>")) {
                        answered.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                        String kind = failure != null ? rootCause(failure).getClass().getSimpleName()
                                : resp.statusCode() == 200 ? "200 without a message" : "HTTP " + resp.statusCode();
                        errorKinds.merge(kind, 1, Integer::sum);
                    }
                    if (stats != null) {
                        stats.add(micros);
                    }
                    return null;
                }));
            }
            for (CompletableFuture<?> f : pending) {
                f.join();
            }
            sendingNanos = lastSent - start + interval;
            sent = n;
            if (stats == null) {
                return new long[0];
            }
            synchronized (stats) {
                return stats.micros.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }

        HttpRequest request(long i) {
            Map<String, List<String>> form = new LinkedHashMap<>();
            form.put("MessageSid", List.of("SM" + UUID.randomUUID().toString().replace("-", "")));
            form.put("AccountSid", List.of(accountSid));
            form.put("From", List.of(person((int) (i % people))));
            form.put("To", List.of(OURS));
            form.put("Body", List.of("hello " + i));
            form.put("NumMedia", List.of("0"));
            form.put("ApiVersion", List.of("2010-04-01"));
            StringBuilder body = new StringBuilder();
            form.forEach((k, vs) -> vs.forEach(v -> body.append(body.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
            return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", signer.sign(url, form))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        }

        Result result(int rate, long[] sorted, int enqueued, int fakeReceived, String loadAtStart, String loadAtEnd) {
            return new Result(rate, sent, answered.get(), errors.get(), Map.copyOf(errorKinds),
                    sent / (sendingNanos / 1e9), percentile(sorted, 0.50), percentile(sorted, 0.99),
                    percentile(sorted, 0.999), sorted.length == 0 ? 0 : sorted[sorted.length - 1], enqueued,
                    fakeReceived, loadAtStart, loadAtEnd);
        }

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One of 10,000 valid US numbers, {@code +1415555} and four digits from 0100. */
    static String person(int i) {
        return String.format(Locale.ROOT, "+1415555%04d", 100 + i % 9_000);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return String.join(" ", Arrays.copyOf(parts, 3));
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
