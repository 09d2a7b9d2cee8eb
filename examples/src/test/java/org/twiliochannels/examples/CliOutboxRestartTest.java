package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.SentMessage;

/**
 * The outbox's database restarting in the middle of a run, as a user meets it (issue #22): a
 * {@code send-bulk --outbox} process is sending 3,000 messages when PostgreSQL is shut down (fast
 * mode: sessions ended, no new connection accepted) and started again 5 s later on the same data
 * and port. The process must wait and reconnect, and finish the run: nothing lost, nothing created
 * twice at Twilio, the outcomes recorded before the restart kept.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CliOutboxRestartTest {
    private static final int ROWS = 3000;
    private static final int EARLY = 300;
    private static final int LATE = 2400;
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private Process cli;
    private EmbeddedPostgres postgres;
    private FakeTwilio twilio;

    @AfterEach
    void stop() throws Exception {
        if (cli != null) {
            cli.destroyForcibly();
            cli.waitFor(10, TimeUnit.SECONDS);
        }
        if (twilio != null) {
            twilio.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * The moments the database goes away: right after the command reports its rows enqueued (its
     * worker starting), once {@value #EARLY} sends have reached Twilio, and near the end
     * ({@value #LATE}), while most outcomes are being written.
     */
    @ParameterizedTest(name = "stopped {0}")
    @ValueSource(strings = {"after the enqueue", "after " + EARLY + " sends", "after " + LATE + " sends"})
    void aDatabaseRestartMidRunLosesNothingAndSendsNothingTwice(String when, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        postgres = postgres(data, port);
        String url = postgres.getJdbcUrl("postgres", "postgres");
        twilio = FakeTwilio.start();
        // every create answered after 100 ms, as Twilio roughly does: the run takes seconds, not less
        twilio.failFraction(1.0, 22, Fault.delay(Duration.ofMillis(100)));
        Path csv = dir.resolve("recipients.csv");
        StringBuilder rows = new StringBuilder("phone,name\n");
        for (int i = 0; i < ROWS; i++) {
            rows.append(String.format("+1415600%04d,R%d%n", i, i));
        }
        Files.writeString(csv, rows);
        Path output = dir.resolve("cli.out");
        long start = System.nanoTime();
        cli = cli(dir, csv, url, output);

        if (when.equals("after the enqueue")) {
            await(() -> readOrEmpty(output).contains("message(s) enqueued now"), "the enqueue", output);
        } else {
            int sends = Integer.parseInt(when.replaceAll("\\D", ""));
            await(() -> twilio.sent().size() >= sends, sends + " sends", output);
        }
        postgres.close(); // pg_ctl stop -m fast: every session ended, the data kept
        postgres = null;
        int sentDuringOutage = twilio.sent().size();
        Thread.sleep(OUTAGE.toMillis());
        boolean aliveAfterOutage = cli.isAlive();
        postgres = postgres(data, port);
        long restarted = System.nanoTime();

        assertTrue(cli.waitFor(120, TimeUnit.SECONDS), "the command did not finish: " + read(output));
        String out = read(output);
        System.out.printf("%s: database stopped at %d sent, restarted %.1f s after the command started, which exited %d"
                + " after %.1f s more:%n%s%n", when, sentDuringOutage, (restarted - start) / 1e9, cli.exitValue(),
                (System.nanoTime() - restarted) / 1e9, out);
        assertTrue(aliveAfterOutage, "the command gave up while the database was away: exit " + cli.exitValue() + ", "
                + out);
        assertEquals(0, cli.exitValue(), out);
        List<SentMessage> sent = twilio.sent();
        assertEquals(ROWS, sent.size(), "every row created exactly once (" + sentDuringOutage + " when the database"
                + " stopped): " + out);
        assertEquals(ROWS, new HashSet<>(sent.stream().map(SentMessage::to).toList()).size(), "no recipient twice");
        assertEquals(ROWS, twilio.createRequests().size(), "no create request repeated");
        assertTrue(out.contains("Done: " + ROWS + " messages: " + ROWS + " accepted, 0 rejected, 0 unknown, 0 waiting"),
                out);
        CliTest.Run status = CliTest.run(Map.of(), "outbox", "status", url);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("accepted\\s+" + ROWS)), status.out());
    }

    /** PostgreSQL on {@code data} (created on first use, kept at close) and a fixed {@code port}. */
    private static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("max_connections", "100").start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code send-bulk sms --outbox URL} in a JVM of its own, 64 requests in flight (640 a second at 100 ms each). */
    private Process cli(Path dir, Path csv, String url, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Cli.class.getName(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!",
                "--rate", "1000", "--concurrency", "64", "--outbox", url).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TWILIO_"));
        env.putAll(CliTest.fakeEnv(twilio));
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        return pb.start();
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static String readOrEmpty(Path output) {
        try {
            return read(output);
        } catch (IOException notYet) {
            return "";
        }
    }

    private void await(java.util.function.BooleanSupplier condition, String what, Path output) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(cli.isAlive(), "the command ended before " + what + ": " + read(output));
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what + ": " + read(output));
            Thread.sleep(20);
        }
    }
}
