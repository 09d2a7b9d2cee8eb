package org.twiliochannels.examples.bench;

import com.twilio.http.TwilioRestClient;
import com.twilio.type.PhoneNumber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.bulk.BulkSender;
import org.twiliochannels.core.bulk.BulkSummary;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.sms.SmsChannel;

/**
 * The benchmarks of BENCHMARKS.md, each reported as a ratio against a baseline measured in the same
 * run, with warm-up first. Run: {@code java -cp examples/target/twilio-channels-cli.jar
 * org.twiliochannels.examples.bench.Benchmarks [quick]}.
 */
public final class Benchmarks {
    private static final String TO = "+14155551234";
    /** Fake credentials for the loopback server, which checks none. */
    private static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    private static final String AUTH_TOKEN = "feedfacefeedfacefeedfacefeedface";

    private Benchmarks() {}

    /** Runs the benchmarks named by number (all by default); {@code quick} shortens them (a smoke test, not numbers). */
    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean quick = a.contains("quick");
        boolean all = a.stream().noneMatch(x -> x.matches("[1-6]"));
        System.out.printf(Locale.ROOT, "twilio-channels benchmarks on %d cores, Java %s%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), quick ? " (quick)" : "");
        if (all || a.contains("1")) {
            perSendCost(quick);
        }
        if (all || a.contains("2")) {
            bulkThroughput(quick);
        }
        if (all || a.contains("3")) {
            pacing(quick);
        }
        if (all || a.contains("4")) {
            heap(quick);
        }
        if (all || a.contains("5")) {
            closedConnections(quick);
        }
        if (all || a.contains("6")) {
            SdkShare.run(quick);
        }
    }

    /**
     * 5. Kept-alive connections the server closes, in two ways: (a) after a connection has been idle
     * for 1 s (checked every 20 ms), with the sends in bursts of 1,000 separated by pauses of 0.95 to
     * 1.15 s, so that each burst starts while the server is closing the connections the last one left;
     * (b) right after an answer whenever 8 connections are idle already, without saying so in the
     * answer, with no pause. 20,000 sends each, 256 in flight, each a single attempt without a look-up
     * in the log, so a request written into a connection the server closed ends as "may have been
     * sent". Baseline: the SDK's own Apache client on the same 256 threads, same server, same run.
     */
    static void closedConnections(boolean quick) throws Exception {
        int n = quick ? 2000 : 20_000;
        closedConnections("idle 1 s", List.of("-Dsun.net.httpserver.maxIdleConnections=4096",
                "-Dsun.net.httpserver.idleInterval=1", "-Dsun.net.httpserver.clockTick=20"), n, 1000);
        closedConnections("at most 8 idle", List.of("-Dsun.net.httpserver.maxIdleConnections=8"), n, n);
    }

    private static void closedConnections(String how, List<String> serverProperties, int n, int burst)
            throws Exception {
        int threads = 256;
        try (RemoteServer server = new RemoteServer(0, serverProperties)) {
            TwilioConfig c = config(server).maxConcurrentRequests(threads)
                    .retryPolicy(org.twiliochannels.core.RetryPolicy.builder().maxAttempts(1).settleFromLog(false).build())
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.Random pauses = new java.util.Random(5);
            try (Channel sms = SmsChannel.open(c)) {
                Message message = Message.text(TO, "hi");
                int[] library = new int[3];
                int[] sdk = new int[3];
                TwilioRestClient raw = rawSdk(server);
                for (int done = 0; done < n; done += burst) {
                    add(library, onPool(pool, burst, () -> sms.send(message)));
                    add(sdk, onPool(pool, burst, () -> rawSend(raw)));
                    if (burst < n) {
                        Thread.sleep(950 + pauses.nextInt(200));
                    }
                }
                System.out.printf(Locale.ROOT, "5. connections the server closes (%s), %d sends, %d in flight%s, one"
                        + " attempt each: library %d accepted, %d may have been sent, %d not sent (%.3f %% may have"
                        + " been sent); SDK's Apache client %d accepted, %d failed after or while writing (%.3f %%), %d"
                        + " other failures%n", how, n, threads, burst < n ? " in bursts of " + burst : "", library[0],
                        library[1], library[2], 100.0 * library[1] / n, sdk[0], sdk[1], 100.0 * sdk[1] / n, sdk[2]);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void add(int[] sum, int[] counts) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += counts[i];
        }
    }

    /** Runs {@code n} sends on {@code pool}; counts {accepted, may have been sent, any other failure}. */
    private static int[] onPool(ExecutorService pool, int n, Runnable send) throws InterruptedException {
        List<Future<?>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fs.add(pool.submit(send));
        }
        int[] counts = new int[3];
        for (Future<?> f : fs) {
            try {
                f.get();
                counts[0]++;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                boolean ambiguous = cause instanceof org.twiliochannels.core.TwilioChannelsException t ? t.mayHaveBeenSent()
                        : cause instanceof java.io.UncheckedIOException; // RawSdkHttpClient's I/O failures
                counts[ambiguous ? 1 : 2]++;
            }
        }
        return counts;
    }

    static TwilioConfig.Builder config(RemoteServer server) {
        return TwilioConfig.builder().credentials(org.twiliochannels.core.TwilioCredentials.of(org.twiliochannels.core.AccountSid.of(ACCOUNT_SID), org.twiliochannels.core.AuthToken.of(AUTH_TOKEN)))
                .smsFrom(org.twiliochannels.core.PhoneNumber.of("+15005550006")).apiBaseUrl(server.baseUrl());
    }

    private static TwilioRestClient rawSdk(RemoteServer server) {
        return new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN)
                .httpClient(new RawSdkHttpClient(server.baseUrl())).build();
    }

    private static void rawSend(TwilioRestClient client) {
        com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(TO), new PhoneNumber("+15005550006"), "hi")
                .create(client);
    }

    /**
     * 1. Sequential sends, no latency: time and client CPU per send, library vs raw SDK, alternating in
     * short rounds. The server runs in its own process, so the CPU is the client's whole process (its
     * HTTP client's own threads included) and nothing of the server's.
     */
    static void perSendCost(boolean quick) throws IOException {
        int n = quick ? 200 : 1000;
        int rounds = quick ? 3 : 21;
        try (RemoteServer server = new RemoteServer(0); Channel sms = SmsChannel.open(config(server).build())) {
            TwilioRestClient raw = rawSdk(server);
            Message message = Message.text(TO, "hi");
            warmUp("1", quick, () -> {
                for (int i = 0; i < 500; i++) {
                    sms.send(message);
                    rawSend(raw);
                }
            });
            double[] wall = new double[rounds];
            double[] cpuRatio = new double[rounds];
            double[] libWallUs = new double[rounds];
            double[] sdkWallUs = new double[rounds];
            double[] libCpuUs = new double[rounds];
            double[] sdkCpuUs = new double[rounds];
            long serverCpu0 = server.stats().serverCpuNanos();
            long libConnections = 0;
            for (int r = 0; r < rounds; r++) { // alternate, and compare within each round, so drift hits both alike
                boolean libFirst = r % 2 == 0;
                server.reset();
                long[] first = timed(n, libFirst ? () -> sms.send(message) : () -> rawSend(raw));
                long used = server.stats().connectionsUsed();
                server.reset();
                long[] second = timed(n, libFirst ? () -> rawSend(raw) : () -> sms.send(message));
                long[] lib = libFirst ? first : second;
                long[] sdk = libFirst ? second : first;
                libConnections = Math.max(libConnections, libFirst ? used : server.stats().connectionsUsed());
                wall[r] = (double) lib[0] / sdk[0];
                cpuRatio[r] = (double) lib[1] / sdk[1];
                libWallUs[r] = lib[0] / 1e3 / n;
                sdkWallUs[r] = sdk[0] / 1e3 / n;
                libCpuUs[r] = lib[1] / 1e3 / n;
                sdkCpuUs[r] = sdk[1] / 1e3 / n;
            }
            double serverCpuUs = (server.stats().serverCpuNanos() - serverCpu0) / 1e3 / (2.0 * n * rounds);
            System.out.printf(Locale.ROOT, "1. per-send cost (sequential, 0 ms latency, %d alternating rounds x %d sends,"
                    + " server in its own process): median wall library %.1f us vs raw SDK %.1f us; median client"
                    + " process CPU library %.1f us vs raw SDK %.1f us per send; median ratio library/SDK wall %.2f"
                    + " (range %.2f-%.2f), client CPU %.2f (range %.2f-%.2f) (target <= 1.00); server CPU %.1f us per"
                    + " request (not counted); library connections per round: %d%n", rounds, n, median(libWallUs),
                    median(sdkWallUs), median(libCpuUs), median(sdkCpuUs), median(wall), min(wall), max(wall),
                    median(cpuRatio), min(cpuRatio), max(cpuRatio), serverCpuUs, libConnections);
        }
    }

    /**
     * Repeats {@code chunk} until the JIT compiler has settled (less than 2% of the chunk's time spent
     * compiling, twice in a row, after at least five chunks), or for at most 90 s (5 s when quick).
     * Some HTTP clients (the JDK's, measured earlier) need far longer than a fixed few thousand sends on
     * a busy 2-core machine.
     */
    static void warmUp(String what, boolean quick, Runnable chunk) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long limit = start + (quick ? 5 : 90) * 1_000_000_000L;
        int chunks = 0;
        int quiet = 0;
        while (System.nanoTime() < limit && (chunks < 5 || quiet < 2)) {
            long compiled = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            chunk.run();
            double compiling = (jit.getTotalCompilationTime() - compiled) / ((System.nanoTime() - t0) / 1e6);
            quiet = compiling < 0.02 ? quiet + 1 : 0;
            chunks++;
        }
        System.out.printf(Locale.ROOT, "   warm-up of %s: %d chunks, %.0f s%s%n", what, chunks,
                (System.nanoTime() - start) / 1e9, quiet >= 2 ? "" : " (JIT still busy at the limit)");
    }

    /** Wall and client process CPU nanoseconds for {@code n} runs of {@code send}. */
    private static long[] timed(int n, Runnable send) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            send.run();
        }
        return new long[] {System.nanoTime() - t0, processCpuNanos() - c0};
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /**
     * 2. 10,000 messages at 100 ms latency: library bulk vs plain SDK loop vs SDK on a fixed thread
     * pool; rates, and the client process's CPU per accepted message (the server runs apart).
     */
    static void bulkThroughput(boolean quick) throws Exception {
        int n = quick ? 2000 : 10_000;
        try (RemoteServer server = new RemoteServer(100)) {
            TwilioConfig c = config(server).maxConcurrentRequests(256).build();
            double library;
            double libraryCores;
            double libraryEndToEnd;
            double libraryCpuUs;
            double libraryServerCpuUs;
            RemoteServer.Stats after;
            try (Channel sms = SmsChannel.open(c)) {
                BulkSender bulk = BulkSender.builder(sms, SenderRate.of(2000)).accountCap(2000).concurrency(256).build();
                warmUp("2 (library)", quick, () -> bulk.send(messages(2000), o -> { }));
                server.reset();
                long serverCpu0 = server.stats().serverCpuNanos();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                BulkSummary s = bulk.send(messages(n), o -> { });
                long wall = System.nanoTime() - t0;
                long cpu = processCpuNanos() - cpu0;
                after = server.stats();
                long accepted = s.progress().accepted();
                library = after.arrivalRate();
                libraryEndToEnd = accepted / (wall / 1e9);
                libraryCores = cpu / (double) wall;
                libraryCpuUs = cpu / 1e3 / accepted;
                libraryServerCpuUs = (after.serverCpuNanos() - serverCpu0) / 1e3 / after.requests();
                if (accepted != n) {
                    throw new IllegalStateException("library lost messages: " + s);
                }
            }
            TwilioRestClient raw = rawSdk(server);
            int loopN = quick ? 10 : 50;
            for (int i = 0; i < 5; i++) {
                rawSend(raw);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < loopN; i++) {
                rawSend(raw);
            }
            double loop = loopN / ((System.nanoTime() - t0) / 1e9);
            int poolN = quick ? 500 : 3000;
            int threads = 32;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                warmUp("2 (SDK pool)", quick, () -> {
                    try {
                        runOnPool(pool, raw, 200);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long cpu0 = processCpuNanos();
                long p0 = System.nanoTime();
                runOnPool(pool, raw, poolN);
                long poolWall = System.nanoTime() - p0;
                double pooled = poolN / (poolWall / 1e9);
                double poolCpuUs = (processCpuNanos() - cpu0) / 1e3 / poolN;
                System.out.printf(Locale.ROOT, "2. bulk at 100 ms latency (server in its own process): library %.0f msg/s"
                                + " arriving at the server (%.0f msg/s end to end incl. ramp-up and the last answer; %d"
                                + " messages, 256 in flight, paced at 2000/s; %d connections used, %d opened); library/2000"
                                + " cap = %.2f (target 1.00); client CPU %.1f us per accepted message (%.2f of %d cores;"
                                + " server's %.1f us per request not counted); plain SDK loop %.1f msg/s (%d messages);"
                                + " SDK on %d threads %.0f msg/s (%d messages), client CPU %.1f us per message; ratios"
                                + " library/loop = %.0f, library/pool = %.1f, client CPU per message library/pool = %.2f%n",
                        library, libraryEndToEnd, n, after.connectionsUsed(), after.connectionsOpened(), library / 2000,
                        libraryCpuUs, libraryCores, Runtime.getRuntime().availableProcessors(), libraryServerCpuUs,
                        loop, loopN, threads, pooled, poolN, poolCpuUs, library / loop, library / pooled,
                        libraryCpuUs / poolCpuUs);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void runOnPool(ExecutorService pool, TwilioRestClient raw, int n) throws Exception {
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(pool.submit(() -> rawSend(raw)));
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    /** 3. Configured 100 msg/s for 30 s against a server that rate-limits at 100/s: achieved rate and 429s. */
    static void pacing(boolean quick) throws IOException {
        int seconds = quick ? 5 : 30;
        try (RemoteServer server = new RemoteServer(100)) {
            server.rateLimit(100, 5);
            try (Channel sms = SmsChannel.open(config(server).maxConcurrentRequests(64).build())) {
                BulkSender bulk = BulkSender.builder(sms, SenderRate.of(100)).concurrency(64).build();
                bulk.send(messages(100), o -> { }); // warm-up, one second
                server.reset();
                int n = 100 * seconds;
                BulkSummary s = bulk.send(messages(n), o -> { });
                RemoteServer.Stats stats = server.stats();
                double achieved = stats.arrivalRate(); // requests per second arriving, first to last
                System.out.printf(Locale.ROOT, "3. pacing: configured 100 msg/s for %d s, achieved %.2f msg/s; ratio"
                        + " achieved/configured = %.3f (target within 0.98-1.02); 429s provoked: %d (target 0);"
                        + " accepted %d of %d%n", seconds, achieved, achieved / 100, stats.rateLimited(),
                        s.progress().accepted(), n);
            }
        }
    }

    /** 4. Peak heap while streaming 1,000,000 recipients (-Xmx64m) vs collecting them in a list first. */
    static void heap(boolean quick) throws Exception {
        int n = quick ? 100_000 : 1_000_000;
        long streamed = child("-Xmx64m", "stream", n);
        long listed = child("-Xmx1g", "list", n);
        System.out.printf(Locale.ROOT, "4. peak heap for %,d recipients: streamed through the library under -Xmx64m"
                + " %.1f MB (target < 64 MB); collected in a list first %.1f MB; ratio streamed/list = %.2f%n",
                n, streamed / 1048576.0, listed / 1048576.0, (double) streamed / listed);
    }

    private static long child(String xmx, String mode, int n) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, xmx, "-cp", System.getProperty("java.class.path"),
                HeapProbe.class.getName(), mode, Integer.toString(n)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("heap probe (" + mode + ", " + xmx + ") failed: " + out);
        }
        String[] lines = out.split("\\R");
        return Long.parseLong(lines[lines.length - 1].strip());
    }

    private static java.util.stream.Stream<Message> messages(int n) {
        return IntStream.range(0, n).mapToObj(i -> Message.text(String.format("+1415%07d", 2_000_000 + i), "hi"));
    }

    private static long processCpuNanos() {
        return BenchServer.processCpuNanos();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
