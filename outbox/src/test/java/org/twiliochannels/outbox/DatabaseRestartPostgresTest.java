package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.SentMessage;

/**
 * The worker's database restarting while it sends (issue #22), through the plain API: PostgreSQL of
 * the test's own, on its own data and port, shut down (fast: every session ended) while the worker
 * sends, then started again on the same data. The worker must say it cannot reach the database,
 * send nothing it could not record meanwhile, and finish once the database is back: every message
 * created once at Twilio, the outcomes recorded before the restart kept.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DatabaseRestartPostgresTest {
    private static final int MESSAGES = 1200;

    private EmbeddedPostgres postgres;
    private HikariDataSource pool;
    private FakeTwilio twilio;
    private TwilioAccount account;
    private OutboxWorker worker;

    @AfterEach
    void tearDown() throws IOException {
        if (worker != null) {
            worker.close();
        }
        if (account != null) {
            account.close();
        }
        if (twilio != null) {
            twilio.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aWorkerWaitsForARestartedDatabaseAndSendsEachMessageOnce(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        postgres = start(data, port);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(12);
        config.setConnectionTimeout(2000);
        pool = new HikariDataSource(config);
        twilio = FakeTwilio.start();
        twilio.failFraction(1.0, 7, Fault.delay(Duration.ofMillis(50)));
        account = TwilioAccount.open(twilio.config().sendDeadline(Duration.ofSeconds(5)).build());
        Outbox outbox = Outbox.builder(pool).lease(Duration.ofSeconds(30)).workerId("worker-a").build();
        outbox.migrate();
        List<OutboxMessage> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            batch.add(OutboxMessage.of("sms", Message.text(String.format("+1415700%04d", i), "Hi " + i), "m" + i));
        }
        outbox.enqueue(batch.get(0));
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueueAll(c, batch.subList(1, MESSAGES));
            c.commit();
        }
        worker = outbox.startWorker(account, WorkerSettings.builder().concurrency(8).pollInterval(Duration.ofMillis(20))
                .pacing(PacingSettings.builder().senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 300).build())
                .build());

        await(() -> outbox.counts().get(OutboxState.ACCEPTED) >= 200, Duration.ofSeconds(30), "200 accepted");
        Map<Long, String> acceptedBefore = accepted();
        postgres.close(); // pg_ctl stop -m fast: sessions ended, data kept
        postgres = null;

        await(() -> worker.health().state() == WorkerHealth.State.DATABASE_UNAVAILABLE, Duration.ofSeconds(15),
                "the worker to report the database unavailable");
        WorkerHealth away = worker.health();
        assertEquals(1, away.outages(), away.toString());
        assertTrue(away.lastError().isPresent(), away.toString());
        // sends whose attempt was on disk before the stop may still be answered; after that, none
        Thread.sleep(1500);
        int sentBefore = twilio.createRequests().size();
        Thread.sleep(1500);
        assertEquals(sentBefore, twilio.createRequests().size(), "nothing sent while no attempt can be recorded");
        assertEquals(away.since(), worker.health().since(), "one outage, still the same");

        postgres = start(data, port);
        await(() -> {
            try {
                return outbox.counts().get(OutboxState.ACCEPTED) == MESSAGES;
            } catch (OutboxUnavailableException notYet) {
                return false;
            }
        }, Duration.ofSeconds(45), "every message accepted after the restart");

        WorkerHealth back = worker.health();
        assertEquals(WorkerHealth.State.RUNNING, back.state(), back.toString());
        assertEquals(1, back.outages(), back.toString());
        assertTrue(back.since().isAfter(away.since()), back.toString());
        List<SentMessage> sent = twilio.sent();
        assertEquals(MESSAGES, sent.size(), "each message created once");
        assertEquals(MESSAGES, new HashSet<>(sent.stream().map(SentMessage::to).toList()).size(), "no recipient twice");
        assertEquals(MESSAGES, twilio.createRequests().size(), "no create request repeated");
        Map<Long, String> acceptedAfter = accepted();
        acceptedBefore.forEach((id, sid) -> assertEquals(sid, acceptedAfter.get(id),
                "message " + id + " accepted before the restart keeps its SID"));
        assertEquals(0L, outbox.counts().get(OutboxState.UNKNOWN));

        worker.close();
        assertEquals(WorkerHealth.State.STOPPED, worker.health().state());
    }

    /** Accepted rows: id → SID. */
    private Map<Long, String> accepted() throws Exception {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = pool.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT id, sid FROM twilio_outbox_message WHERE state = ?")) {
            p.setString(1, OutboxState.ACCEPTED.dbName());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("max_connections", "50").setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
