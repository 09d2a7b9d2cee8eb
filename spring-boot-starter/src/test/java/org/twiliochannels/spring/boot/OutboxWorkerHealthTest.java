package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.twiliochannels.micrometer.OutboxWorkerMetrics;
import org.twiliochannels.outbox.WorkerHealth;
import org.twiliochannels.testing.FakeTwilio;

/** The outbox health and meters in a real context, its worker's H2 server stopped and started by the test. */
@Timeout(60)
class OutboxWorkerHealthTest {
    private static final String PASSWORD = "not-a-secret-outbox-password";
    static final FakeTwilio TWILIO = FakeTwilio.start();

    private final ApplicationContextRunner runner = TwilioOutboxAutoConfigurationTest.runner(TWILIO,
                    TwilioMetricsAutoConfiguration.class, TwilioAutoConfiguration.class,
                    TwilioOutboxAutoConfiguration.class, TwilioOutboxWorkerAutoConfiguration.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** A database in this process that the worker reaches only through an H2 server on {@code port}. */
    private static DataSource database(String name, int port) throws Exception {
        try (var create = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", PASSWORD)) {
            assertTrue(create.isValid(1));
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:tcp://localhost:" + port + "/mem:" + name + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword(PASSWORD);
        return ds;
    }

    @Test
    void downWithTheErrorsClassAndSqlStateWhileTheDatabaseIsAwayThenUpAgain() throws Exception {
        Server[] server = {Server.createTcpServer("-tcpPort", "0").start()};
        int port = server[0].getPort();
        DataSource ds = database("starter-health", port);
        try {
            runner.withBean(DataSource.class, () -> ds).run(context -> {
                HealthIndicator health = context.getBean("outboxHealthIndicator", HealthIndicator.class);
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertEquals(Status.UP, health.health().getStatus());
                assertEquals(1.0, meters.get(OutboxWorkerMetrics.DATABASE_AVAILABLE).gauge().value());

                server[0].stop();
                TwilioOutboxAutoConfigurationTest.await(() -> health.health().getStatus().equals(Status.DOWN));
                Health down = health.health();
                assertEquals("DATABASE_UNAVAILABLE", down.getDetails().get("state"));
                assertEquals(1L, down.getDetails().get("outages"));
                assertTrue(down.getDetails().get("error.type").toString().matches("[\\w.$]+"), "a class name: " + down);
                assertEquals("90067", down.getDetails().get("error.sqlState"), "H2's connection broken: " + down);
                assertEquals(Set.of("state", "since", "outages", "error.type", "error.sqlState"),
                        down.getDetails().keySet(), "no message, no URL");
                assertFalse(down.toString().contains(PASSWORD) || down.toString().contains("localhost")
                        || down.toString().contains("jdbc:"), down.toString());
                assertEquals(0.0, meters.get(OutboxWorkerMetrics.DATABASE_AVAILABLE).gauge().value());
                assertEquals(1.0, meters.get(OutboxWorkerMetrics.DATABASE_OUTAGES).functionCounter().count());

                server[0] = Server.createTcpServer("-tcpPort", String.valueOf(port)).start();
                TwilioOutboxAutoConfigurationTest.await(() -> health.health().getStatus().equals(Status.UP));
                assertEquals(Set.of("state", "since", "outages"), health.health().getDetails().keySet());
                assertEquals(1.0, meters.get(OutboxWorkerMetrics.DATABASE_AVAILABLE).gauge().value());
            });
        } finally {
            server[0].stop();
        }
    }

    @Test
    void noHealthAndNoMetersWithoutAWorker() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0").start();
        DataSource ds = database("starter-no-worker", server.getPort());
        try {
            runner.withBean(DataSource.class, () -> ds).withPropertyValues("twilio.outbox.worker=false").run(context -> {
                assertFalse(context.containsBean("outboxHealthIndicator"));
                assertTrue(context.getBeansOfType(OutboxWorkerMetrics.class).isEmpty());
                assertTrue(context.getBean(MeterRegistry.class).find(OutboxWorkerMetrics.DATABASE_AVAILABLE).gauges()
                        .isEmpty());
            });
        } finally {
            server.stop();
        }
    }

    @Test
    void turnedOffByTheirOwnProperties() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0").start();
        DataSource ds = database("starter-off", server.getPort());
        try {
            runner.withBean(DataSource.class, () -> ds)
                    .withPropertyValues("management.health.outbox.enabled=false", "twilio.metrics.enabled=false")
                    .run(context -> {
                        assertTrue(context.containsBean("twilioOutboxWorker"), "the worker still runs");
                        assertFalse(context.containsBean("outboxHealthIndicator"));
                        assertTrue(context.getBeansOfType(OutboxWorkerMetrics.class).isEmpty());
                    });
        } finally {
            server.stop();
        }
    }

    @Test
    void outOfServiceWhileNoWorkerRuns() {
        Health none = new OutboxHealthIndicator(() -> null).health();
        assertEquals(Status.OUT_OF_SERVICE, none.getStatus());
        Health stopped = new OutboxHealthIndicator(() -> WorkerHealth.stopped(Instant.EPOCH, 2)).health();
        assertEquals(Status.OUT_OF_SERVICE, stopped.getStatus());
        assertEquals(2L, stopped.getDetails().get("outages"));
    }
}
