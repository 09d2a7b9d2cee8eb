package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;

/**
 * Two instances on PostgreSQL, one killed while it fires a due time-out: what it did is rolled
 * back with its connection, and the other instance fires the time-out, once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TimeoutKilledPostgresTest {

    @Test
    void anInstanceKilledWhileFiringLeavesTheTimeoutToAnotherOnce() throws Exception {
        String prefix = "killed_";
        try (HikariDataSource pool = EmbeddedPostgresSupport.pool(4)) {
            Outbox outbox = Outbox.builder(pool).tablePrefix(prefix).workerId("survivor").build();
            outbox.migrate();
            AtomicInteger fired = new AtomicInteger();
            Conversations survivor = Conversations.builder(outbox).question(TimeoutProcess.question(fired::incrementAndGet))
                    .build();
            long id = survivor.ask(Conversation.sms("+14155550188", "+15005550006"), "reminder",
                    OutboxMessage.of("sms", Message.text("+14155550188", "Reply YES")), "appt-9", Duration.ofMillis(1));
            Thread.sleep(5); // the time-out is due (wall clock: the other JVM reads the system clock)

            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process doomed = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), TimeoutProcess.class.getName(),
                    EmbeddedPostgresSupport.jdbcUrl(), prefix).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(doomed.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("firing")) {
                    // its start-up lines
                }
                assertEquals("firing", line, "the other instance claimed the time-out");
                assertEquals(0, survivor.fireDueTimeouts(), "held by the instance firing it");
                assertEquals(QuestionState.OPEN, survivor.question(id).orElseThrow().state());
            } finally {
                doomed.destroyForcibly();
                doomed.waitFor(30, TimeUnit.SECONDS);
            }

            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int claimed = 0;
            while (claimed == 0 && System.nanoTime() < end) { // PostgreSQL ends the dead JVM's session
                claimed = survivor.fireDueTimeouts();
                Thread.sleep(50);
            }
            assertEquals(1, claimed);
            assertEquals(1, fired.get());
            assertEquals(QuestionState.TIMED_OUT, survivor.question(id).orElseThrow().state());
            assertEquals(2L, outbox.counts().get(OutboxState.QUEUED)); // the question and one follow-up
            assertEquals(0, survivor.fireDueTimeouts());
            assertTrue(survivor.question(id).orElseThrow().timeoutAt().isBefore(Instant.now()));
        }
    }
}
