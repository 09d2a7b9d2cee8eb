package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.SentMessage;

/**
 * The command line's outbox contract with real processes on one PostgreSQL: several
 * {@code send-bulk --outbox} processes started at once on the same file split the work, one killed
 * with {@code kill -9} while requests are in flight and started again loses nothing and duplicates
 * nothing, and every process exits once every message of the run has an outcome.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CliOutboxProcessesTest {
    private static final int ROWS = 300;
    private static final Pattern ENQUEUED = Pattern.compile(": (\\d+) message\\(s\\) enqueued now");
    private static final Pattern SENT_HERE = Pattern.compile("this process sent (\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private FakeTwilio twilio;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (twilio != null) {
            twilio.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void processesSplitTheRunAndOneKilledMidRunLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        twilio = FakeTwilio.start();
        Path csv = dir.resolve("recipients.csv");
        StringBuilder rows = new StringBuilder("phone,name\n");
        for (int i = 0; i < ROWS; i++) {
            rows.append(String.format("+1415600%04d,R%d%n", i, i));
        }
        Files.writeString(csv, rows);

        Process a = cli(dir, "a", csv, url);
        Process b = cli(dir, "b", csv, url);
        Process c = cli(dir, "c", csv, url);
        await(() -> List.of("a", "b", "c").stream().allMatch(n -> ENQUEUED.matcher(outputOrEmpty(dir, n)).find()),
                "every process enqueued");
        await(() -> twilio.sent().size() >= ROWS / 3, "a third of the run sent");
        // the next requests are created by Twilio but answered only after a minute: some of them are a's
        Fault[] hanging = new Fault[12];
        java.util.Arrays.fill(hanging, Fault.delay(Duration.ofSeconds(60)));
        twilio.failNext(hanging);
        await(() -> twilio.createRequests().stream().filter(r -> r.fault().isPresent()).count() == hanging.length,
                "the hanging requests arrived");
        a.destroyForcibly(); // SIGKILL: no shutdown hook, no outcome recorded
        assertTrue(a.waitFor(10, TimeUnit.SECONDS));
        Process again = cli(dir, "a-again", csv, url);

        for (Process p : List.of(b, c, again)) {
            assertTrue(p.waitFor(200, TimeUnit.SECONDS), "a process did not finish");
        }
        String outB = output(dir, "b");
        String outC = output(dir, "c");
        String outAgain = output(dir, "a-again");
        assertEquals(0, b.exitValue(), outB);
        assertEquals(0, c.exitValue(), outC);
        assertEquals(0, again.exitValue(), outAgain);

        List<SentMessage> sent = twilio.sent();
        assertEquals(ROWS, sent.size(), "every row created exactly once");
        assertEquals(ROWS, new HashSet<>(sent.stream().map(SentMessage::to).toList()).size());
        assertEquals(0, number(ENQUEUED, outAgain), "started again, it enqueues nothing: " + outAgain);
        assertEquals(ROWS, number(ENQUEUED, output(dir, "a")) + number(ENQUEUED, outB) + number(ENQUEUED, outC),
                "each row enqueued by exactly one of the processes started at once");
        int sentB = number(SENT_HERE, outB);
        int sentC = number(SENT_HERE, outC);
        assertTrue(sentB > 0 && sentC > 0, "both survivors took a share: " + sentB + ", " + sentC);
        for (String out : List.of(outB, outC, outAgain)) {
            assertTrue(out.contains("Done: " + ROWS + " messages: " + ROWS + " accepted, 0 rejected, 0 unknown, 0 waiting"),
                    "each process reports the whole run: " + out);
        }
        CliTest.Run status = CliTest.run(Map.of(), "outbox", "status", url);
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("accepted\\s+" + ROWS)), status.out());
    }

    /** {@code send-bulk sms --outbox URL} in a JVM of its own, its output in {@code dir/NAME.out}. */
    private Process cli(Path dir, String name, Path csv, String url) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createDirectories(dir.resolve("cwd-" + name));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Cli.class.getName(), "send-bulk", "sms", "--file", csv.toString(), "--body", "Hi {name}!",
                "--rate", "100", "--outbox", url).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TWILIO_"));
        env.putAll(CliTest.fakeEnv(twilio));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String output(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
    }

    private static String outputOrEmpty(Path dir, String name) {
        try {
            return output(dir, name);
        } catch (IOException notYet) {
            return "";
        }
    }

    private static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }
}
