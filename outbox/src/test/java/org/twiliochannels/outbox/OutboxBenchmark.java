package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/**
 * The outbox benchmark of BENCHMARKS.md, not a test: runs only with {@code -Doutbox.bench=true}:
 * <pre>
 * mvn -pl outbox -am test -Doutbox.bench=true -Dtest=OutboxBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * It starts its own PostgreSQL and a fake Twilio, and writes {@code outbox/target/outbox-bench.md}.
 */
class OutboxBenchmark {
    static final int ENQUEUE_SINGLE = 2_000;
    static final int ENQUEUE_BATCHED = 20_000;
    static final int DISPATCH = 1_500;
    static final int WARM_UP = 600;
    static final Duration LATENCY = Duration.ofMillis(100);
    /** Requests in flight per worker process (the direct sender has 32). */
    static final int PER_WORKER = Integer.getInteger("outbox.bench.perWorker", 16);

    @Test
    @EnabledIfSystemProperty(named = "outbox.bench", matches = "true")
    void run() throws Exception {
        StringBuilder report = new StringBuilder();
        HikariConfig pc = new HikariConfig();
        pc.setJdbcUrl(EmbeddedPostgresSupport.jdbcUrl());
        pc.setMaximumPoolSize(40);
        try (HikariDataSource pool = new HikariDataSource(pc)) {
            enqueueRates(pool, report);
            dispatch(pool, report);
            takeover(pool, report);
        }
        Path out = Paths.get("target", "outbox-bench.md");
        Files.writeString(out, report);
        System.out.println(report);
    }

    private static void enqueueRates(HikariDataSource pool, StringBuilder report) throws Exception {
        Outbox outbox = Outbox.builder(pool).tablePrefix("benq_").build();
        outbox.migrate();
        long t0 = System.nanoTime();
        for (int i = 0; i < ENQUEUE_SINGLE; i++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                outbox.enqueue(c, OutboxMessage.of("sms", Message.text(to(i), "Hello"), "single-" + i));
                c.commit();
            }
        }
        double single = ENQUEUE_SINGLE / secondsSince(t0);
        t0 = System.nanoTime();
        for (int b = 0; b < ENQUEUE_BATCHED / 500; b++) {
            List<OutboxMessage> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = b * 500 + i;
                batch.add(OutboxMessage.of("sms", Message.text(to(n), "Hello"), "batch-" + n));
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                outbox.enqueueAll(c, batch);
                c.commit();
            }
        }
        double batched = ENQUEUE_BATCHED / secondsSince(t0);
        report.append(String.format(Locale.ROOT, "| enqueue, one row per transaction (%d rows) | %.0f rows/s |%n",
                ENQUEUE_SINGLE, single));
        report.append(String.format(Locale.ROOT, "| enqueue, 500 rows per transaction (%d rows) | %.0f rows/s |%n",
                ENQUEUE_BATCHED, batched));
    }

    private static void dispatch(HikariDataSource pool, StringBuilder report) throws Exception {
        // one process sending directly, 32 requests in flight
        double direct;
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(1.0, 1, Fault.delay(LATENCY));
            try (TwilioAccount account = TwilioAccount.open(twilio.config().maxConcurrentRequests(32).build())) {
                Channel sms = account.channel("sms");
                sendDirect(sms, WARM_UP); // warm-up, not measured
                ExecutorService threads = Executors.newFixedThreadPool(32);
                AtomicInteger next = new AtomicInteger();
                long t0 = System.nanoTime();
                for (int t = 0; t < 32; t++) {
                    threads.execute(() -> {
                        for (int i; (i = next.getAndIncrement()) < DISPATCH; ) {
                            sms.send(Message.text(to(i), "Hello"));
                        }
                    });
                }
                threads.shutdown();
                threads.awaitTermination(10, TimeUnit.MINUTES);
                direct = DISPATCH / secondsSince(t0);
            }
        }
        // two worker processes, 16 requests in flight each, through the outbox
        double viaOutbox;
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(1.0, 1, Fault.delay(LATENCY));
            Outbox outbox = Outbox.builder(pool).tablePrefix("bend_").build();
            outbox.migrate();
            List<Process> workers = List.of(worker(twilio, "bend_", "bench-a", 10_000, 10_000, PER_WORKER),
                    worker(twilio, "bend_", "bench-b", 10_000, 10_000, PER_WORKER));
            try {
                awaitStarted("bench-a");
                awaitStarted("bench-b");
                List<OutboxMessage> warm = new ArrayList<>(); // warm-up of both worker JVMs, not measured
                for (int i = 0; i < WARM_UP; i++) {
                    warm.add(OutboxMessage.builder("sms", Message.text(to(DISPATCH + i), "Hello")).batch("w").build());
                }
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    outbox.enqueueAll(c, warm);
                    c.commit();
                }
                while (outbox.counts("w").get(OutboxState.ACCEPTED) < WARM_UP) {
                    Thread.sleep(5);
                }
                List<OutboxMessage> all = new ArrayList<>();
                for (int i = 0; i < DISPATCH; i++) {
                    all.add(OutboxMessage.builder("sms", Message.text(to(i), "Hello")).batch("d").build());
                }
                long t0 = System.nanoTime();
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    outbox.enqueueAll(c, all);
                    c.commit();
                }
                while (outbox.counts("d").get(OutboxState.ACCEPTED) < DISPATCH) {
                    Thread.sleep(5);
                }
                viaOutbox = DISPATCH / secondsSince(t0);
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
        }
        report.append(String.format(Locale.ROOT, "| dispatch at %d ms latency, one process sending directly (32 in"
                + " flight) | %.0f msg/s |%n", LATENCY.toMillis(), direct));
        report.append(String.format(Locale.ROOT, "| dispatch at %d ms latency, two worker processes through the outbox"
                + " (%d in flight each) | %.0f msg/s (ratio %.2f) |%n", LATENCY.toMillis(), PER_WORKER, viaOutbox,
                viaOutbox / direct));
    }

    private static void sendDirect(Channel sms, int count) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(32);
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < 32; t++) {
            threads.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    sms.send(Message.text(to(DISPATCH + i), "Hello"));
                }
            });
        }
        threads.shutdown();
        threads.awaitTermination(10, TimeUnit.MINUTES);
    }

    private static void takeover(HikariDataSource pool, StringBuilder report) throws Exception {
        long leaseMs = 7_000;
        try (FakeTwilio twilio = FakeTwilio.start()) {
            Outbox outbox = Outbox.builder(pool).tablePrefix("benk_").build();
            outbox.migrate();
            List<OutboxMessage> all = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                all.add(OutboxMessage.builder("sms", Message.text(to(i), "Hello")).batch("k").build());
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                outbox.enqueueAll(c, all);
                c.commit();
            }
            Process doomed = worker(twilio, "benk_", "doomed", 50, leaseMs, 16);
            Process survivor = worker(twilio, "benk_", "survivor", 50, leaseMs, 16); // running all along
            try {
                awaitStarted("survivor");
                while (twilio.sent().size() < 100) {
                    Thread.sleep(5);
                }
                twilio.failNext(Fault.delay(Duration.ofSeconds(60)), Fault.delay(Duration.ofSeconds(60)),
                        Fault.delay(Duration.ofSeconds(60)));
                while (twilio.createRequests().stream().filter(r -> r.fault().isPresent()).count() < 3) {
                    Thread.sleep(2);
                }
                doomed.destroyForcibly();
                doomed.waitFor();
                long killed = System.nanoTime();
                while (settledCount(pool) < 3) {
                    Thread.sleep(5);
                }
                double seconds = secondsSince(killed);
                report.append(String.format(Locale.ROOT, "| a worker killed (kill -9) with 3 answers outstanding: its"
                        + " messages settled by another worker after | %.1f s (lease %.1f s; target lease + 1 s) |%n",
                        seconds, leaseMs / 1000.0));
            } finally {
                doomed.destroyForcibly();
                survivor.destroyForcibly();
            }
        }
    }

    private static int settledCount(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM benk_outbox_event WHERE kind = 'settled-found'");
             ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Process worker(FakeTwilio twilio, String prefix, String id, double rate, long leaseMs,
                                  int concurrency) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WorkerProcess.class.getName(), EmbeddedPostgresSupport.jdbcUrl(), prefix, twilio.baseUrl().toString(),
                id, Long.toString(leaseMs), Double.toString(rate), Integer.toString(concurrency));
        pb.environment().put("FAKE_ACCOUNT_SID", twilio.accountSid().value());
        pb.environment().put("FAKE_AUTH_TOKEN", twilio.authToken().revealSecret());
        pb.redirectErrorStream(true).redirectOutput(Paths.get("target", "bench-" + id + ".log").toFile());
        return pb.start();
    }

    private static void awaitStarted(String id) throws Exception {
        Path log = Paths.get("target", "bench-" + id + ".log");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(log) && Files.readString(log).contains("started"))) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("worker " + id + " did not start; see " + log);
            }
            Thread.sleep(20);
        }
    }

    private static String to(int i) {
        return "+1415" + String.format("%07d", 2_000_000 + i); // exchange 200 on: a valid US number
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
