package org.twiliochannels.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxWorker;
import org.twiliochannels.outbox.WorkerSettings;
import org.twiliochannels.testing.FakeTwilio;

/** A real worker on an H2 server that the test stops and starts again: the gauge goes 1, 0, 1. */
@Timeout(60)
class OutboxWorkerMetricsTest {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theGaugeFollowsTheDatabaseAwayAndBackAndTheOutageIsCounted() throws Exception {
        // the database lives in this process (created here, kept by DB_CLOSE_DELAY); the server is its only way in
        try (var create = DriverManager.getConnection("jdbc:h2:mem:metrics-outbox;DB_CLOSE_DELAY=-1", "sa",
                "not-a-secret-test-password")) {
            assertTrue(create.isValid(1));
        }
        Server server = Server.createTcpServer("-tcpPort", "0").start();
        int port = server.getPort();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:tcp://localhost:" + port + "/mem:metrics-outbox;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("not-a-secret-test-password");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FakeTwilio twilio = FakeTwilio.start();
             TwilioAccount account = TwilioAccount.builder(twilio.config().build()).build()) {
            Outbox outbox = Outbox.builder(ds).build();
            outbox.migrate();
            WorkerSettings settings = WorkerSettings.builder().pollInterval(Duration.ofMillis(50)).build();
            try (OutboxWorker worker = outbox.startWorker(account, settings)) {
                OutboxWorkerMetrics.of(worker).bindTo(meters);
                assertEquals(1.0, available(meters));
                assertEquals(0.0, meters.get(OutboxWorkerMetrics.DATABASE_OUTAGES).functionCounter().count());

                server.stop();
                await(() -> available(meters) == 0.0, "the gauge at 0 while the server is down");
                assertEquals(1.0, meters.get(OutboxWorkerMetrics.DATABASE_OUTAGES).functionCounter().count());

                server = Server.createTcpServer("-tcpPort", String.valueOf(port)).start();
                await(() -> available(meters) == 1.0, "the gauge back at 1 once the server is up");
                assertEquals(1.0, meters.get(OutboxWorkerMetrics.DATABASE_OUTAGES).functionCounter().count());
            }
            assertTrue(Double.isNaN(available(meters)), "a stopped worker is neither available nor not");
            for (Meter meter : meters.getMeters()) {
                assertEquals(0, meter.getId().getTags().size(), "no tags by default: " + meter.getId());
            }
        } finally {
            server.stop();
        }
    }

    private static double available(SimpleMeterRegistry meters) {
        return meters.get(OutboxWorkerMetrics.DATABASE_AVAILABLE).gauge().value();
    }
}
