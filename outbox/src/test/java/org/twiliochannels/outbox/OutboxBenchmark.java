package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.twiliochannels.core.Message;
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
    static final int DISPATCH = Integer.getInteger("outbox.bench.dispatch", 3_000);
    /** Messages each sending JVM sends before it is measured. */
    static final int WARM_UP = 600;
    static final Duration LATENCY = Duration.ofMillis(100);
    /** Requests in flight in all, the same on both sides (the outbox's two workers have half each). */
    static final int[] IN_FLIGHT = {16, 32};

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

    /** What one side of the dispatch comparison achieved. */
    private record Side(double perSecond, double cpuMsPerMessage, String cpuSplit) {}

    /** CPU ms per message of each of these processes (with its children) between two samples. */
    private static String split(List<String> names, long[] before, long[] after, int messages) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", (after[i] - before[i]) / 1e6 / messages));
        }
        return out.toString();
    }

    private static long[] each(List<ProcessHandle> processes) {
        long[] out = new long[processes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cpuNanos(processes.get(i));
        }
        return out;
    }

    private static void dispatch(HikariDataSource pool, StringBuilder report) throws Exception {
        for (int inFlight : IN_FLIGHT) {
            Side direct = direct(pool, inFlight);
            Side outbox = viaOutbox(pool, inFlight);
            report.append(String.format(Locale.ROOT, "| dispatch at %d ms latency, %d in flight: one process sending"
                    + " directly (%d messages after %d to warm up) | %.0f msg/s, %.1f ms CPU/msg (%s) |%n",
                    LATENCY.toMillis(), inFlight, DISPATCH, WARM_UP, direct.perSecond(), direct.cpuMsPerMessage(),
                    direct.cpuSplit()));
            report.append(String.format(Locale.ROOT, "| dispatch at %d ms latency, %d in flight: two worker processes"
                    + " through the outbox, %d each (same messages, %d to warm up each) | %.0f msg/s, %.1f ms CPU/msg"
                    + " (%s), **ratio %.2f** |%n", LATENCY.toMillis(), inFlight, inFlight / 2, WARM_UP,
                    outbox.perSecond(), outbox.cpuMsPerMessage(), outbox.cpuSplit(),
                    outbox.perSecond() / direct.perSecond()));
        }
    }

    /**
     * One process sending directly with {@code inFlight} requests at once: a JVM of its own, started
     * with the same options as the workers, warmed up the same way; timed from the line that starts
     * it to the line it prints when the last answer is in.
     */
    private static Side direct(HikariDataSource pool, int inFlight) throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(1.0, 1, Fault.delay(LATENCY));
            ProcessBuilder pb = new ProcessBuilder(javaCommand(DirectProcess.class.getName(),
                    twilio.baseUrl().toString(), Integer.toString(inFlight), Integer.toString(WARM_UP),
                    Integer.toString(DISPATCH)));
            pb.environment().put("FAKE_ACCOUNT_SID", twilio.accountSid().value());
            pb.environment().put("FAKE_AUTH_TOKEN", twilio.authToken().revealSecret());
            pb.redirectError(Paths.get("target", "bench-direct.log").toFile());
            Process sender = pb.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(sender.getInputStream(),
                    StandardCharsets.UTF_8))) {
                awaitLine(out, "warm");
                List<ProcessHandle> measured = List.of(ProcessHandle.current(), postmaster(pool), sender.toHandle());
                long[] each0 = each(measured);
                long t0 = System.nanoTime();
                sender.getOutputStream().write('\n');
                sender.getOutputStream().flush();
                awaitLine(out, "done");
                double seconds = secondsSince(t0);
                long[] each1 = each(measured);
                return new Side(DISPATCH / seconds, total(each0, each1) / 1e6 / DISPATCH,
                        split(List.of("this JVM (fake)", "PostgreSQL", "sender"), each0, each1, DISPATCH));
            } finally {
                sender.destroyForcibly();
            }
        }
    }

    private static void awaitLine(BufferedReader out, String line) throws IOException {
        for (String l; (l = out.readLine()) != null; ) {
            if (l.equals(line)) {
                return;
            }
        }
        throw new IllegalStateException("the direct sender ended before it printed \"" + line
                + "\"; see target/bench-direct.log");
    }

    private static long total(long[] before, long[] after) {
        long sum = 0;
        for (int i = 0; i < before.length; i++) {
            sum += after[i] - before[i];
        }
        return sum;
    }

    /**
     * Two worker processes with {@code inFlight / 2} requests at once each, sending the same messages
     * through the outbox; timed from the commit that enqueues them (enqueueing is measured above) to
     * the last outcome recorded.
     */
    private static Side viaOutbox(HikariDataSource pool, int inFlight) throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(1.0, 1, Fault.delay(LATENCY));
            String prefix = "bend" + inFlight + "_";
            Outbox outbox = Outbox.builder(pool).tablePrefix(prefix).build();
            outbox.migrate();
            List<Process> workers = List.of(
                    worker(twilio, prefix, "bench-a", 100_000, 10_000, inFlight / 2, false),
                    worker(twilio, prefix, "bench-b", 100_000, 10_000, inFlight / 2, false));
            try {
                awaitLog("bench-a", "started");
                awaitLog("bench-b", "started");
                // the same warm-up for each sending JVM as for the direct one, not measured
                enqueueAll(pool, outbox, "w", DISPATCH, 2 * WARM_UP);
                awaitAccepted(outbox, "w", 2 * WARM_UP);
                List<ProcessHandle> measured = new ArrayList<>(List.of(ProcessHandle.current(), postmaster(pool)));
                workers.forEach(w -> measured.add(w.toHandle()));
                enqueueAll(pool, outbox, "d", 0, DISPATCH);
                long[] each0 = each(measured);
                long t0 = System.nanoTime();
                awaitAccepted(outbox, "d", DISPATCH);
                double seconds = secondsSince(t0);
                long[] each1 = each(measured);
                return new Side(DISPATCH / seconds, total(each0, each1) / 1e6 / DISPATCH,
                        split(List.of("this JVM (fake)", "PostgreSQL", "worker a", "worker b"), each0, each1,
                                DISPATCH));
            } finally {
                workers.forEach(Process::destroyForcibly);
            }
        }
    }

    private static void enqueueAll(HikariDataSource pool, Outbox outbox, String batch, int from, int count)
            throws Exception {
        List<OutboxMessage> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(OutboxMessage.builder("sms", Message.text(to(from + i), "Hello")).batch(batch).build());
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueueAll(c, all);
            c.commit();
        }
    }

    private static void awaitAccepted(Outbox outbox, String batch, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (outbox.counts(batch).get(OutboxState.ACCEPTED) < count) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("batch " + batch + " not sent in 5 minutes: " + outbox.counts(batch));
            }
            Thread.sleep(20);
        }
    }

    /** The PostgreSQL server's main process (its backends are its children). */
    private static ProcessHandle postmaster(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT pg_backend_pid()");
             ResultSet rs = p.executeQuery()) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
        }
    }

    /**
     * CPU time used so far by a process, with its children for PostgreSQL (its backends), without
     * them for this JVM (whose children are the processes measured on their own).
     */
    private static long cpuNanos(ProcessHandle h) {
        long sum = cpu(h);
        if (!h.equals(ProcessHandle.current())) {
            sum += h.descendants().mapToLong(OutboxBenchmark::cpu).sum();
        }
        return sum;
    }

    private static long cpu(ProcessHandle h) {
        return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static void takeover(HikariDataSource pool, StringBuilder report) throws Exception {
        long leaseMs = 7_000;
        try (FakeTwilio twilio = FakeTwilio.start()) {
            Outbox outbox = Outbox.builder(pool).tablePrefix("benk_").build();
            outbox.migrate();
            enqueueAll(pool, outbox, "k", 0, 400);
            Process doomed = worker(twilio, "benk_", "doomed", 50, leaseMs, 16, false);
            // started now, its worker only just before the kill: the three hanging requests must be the doomed one's
            Process survivor = worker(twilio, "benk_", "survivor", 50, leaseMs, 16, true);
            try {
                awaitLog("doomed", "started");
                awaitLog("survivor", "ready");
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (twilio.sent().size() < 100) {
                    check(end, "the doomed worker did not send 100 messages");
                    Thread.sleep(5);
                }
                twilio.failNext(Fault.delay(Duration.ofSeconds(60)), Fault.delay(Duration.ofSeconds(60)),
                        Fault.delay(Duration.ofSeconds(60)));
                while (twilio.createRequests().stream().filter(r -> r.fault().isPresent()).count() < 3) {
                    check(end, "three hanging requests did not arrive");
                    Thread.sleep(2);
                }
                survivor.getOutputStream().write('\n');
                survivor.getOutputStream().flush();
                doomed.destroyForcibly();
                doomed.waitFor();
                long killed = System.nanoTime();
                while (settledCount(pool) < 3) {
                    check(end, "the survivor did not settle the three messages from Twilio's log");
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

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " in time; worker logs in target/bench-*.log");
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
                                  int concurrency, boolean paused) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(WorkerProcess.class.getName(),
                EmbeddedPostgresSupport.jdbcUrl(), prefix, twilio.baseUrl().toString(), id, Long.toString(leaseMs),
                Double.toString(rate), Integer.toString(concurrency)));
        pb.environment().put("FAKE_ACCOUNT_SID", twilio.accountSid().value());
        pb.environment().put("FAKE_AUTH_TOKEN", twilio.authToken().revealSecret());
        pb.environment().put("WORKER_PAUSED", Boolean.toString(paused));
        pb.redirectErrorStream(true).redirectOutput(Paths.get("target", "bench-" + id + ".log").toFile());
        return pb.start();
    }

    /** The command that runs {@code mainClass} in a JVM of its own, with the options of every process here. */
    static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static void awaitLog(String id, String word) throws Exception {
        Path log = Paths.get("target", "bench-" + id + ".log");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(log) && Files.readString(log).contains(word))) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("worker " + id + " did not start; see " + log);
            }
            Thread.sleep(20);
        }
    }

    static String to(int i) {
        return "+1415" + String.format("%07d", 2_000_000 + i); // exchange 200 on: a valid US number
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
