package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.OutboxRecord;
import org.twiliochannels.outbox.OutboxState;
import org.twiliochannels.outbox.WorkerSettings;
import org.twiliochannels.testing.FakeTwilio;

/** The outbox wired when its module and a DataSource are present; workers follow the context. */
@Timeout(60)
class TwilioOutboxAutoConfigurationTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = runner(TWILIO, TwilioAutoConfiguration.class,
            TwilioOutboxAutoConfiguration.class);

    /** A runner of {@code configurations} with an account on {@code twilio}. */
    static ApplicationContextRunner runner(FakeTwilio twilio, Class<?>... configurations) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(configurations))
                .withPropertyValues("twilio.account-sid=" + twilio.accountSid().value(),
                        "twilio.auth-token=" + twilio.authToken().revealSecret(),
                        "twilio.api-base-url=" + twilio.baseUrl(), "twilio.phone-number=+15005550006");
    }

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** An in-memory H2 database of its own per context. */
    @Configuration(proxyBeanMethods = false)
    static class Database {
        @Bean
        DataSource dataSource() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:starter-outbox-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
            return ds;
        }
    }

    @Test
    void theConsentLedgerLivesInTheOutboxsDatabaseAndTheAccountChecksIt() {
        runner(TWILIO, TwilioAutoConfiguration.class, TwilioOutboxAutoConfiguration.class,
                TwilioConsentAutoConfiguration.class).withUserConfiguration(Database.class)
                .withPropertyValues("twilio.outbox.worker=false").run(context -> {
                    org.twiliochannels.core.consent.ConsentLedger ledger =
                            context.getBean(org.twiliochannels.core.consent.ConsentLedger.class);
                    assertEquals(1, context.getBeansOfType(org.twiliochannels.core.consent.ConsentLedger.class).size());
                    assertTrue(context.containsBean("twilioOutboxConsentLedger"));
                    org.twiliochannels.core.TwilioAccount account =
                            context.getBean(org.twiliochannels.core.TwilioAccount.class);
                    assertTrue(ledger == account.consentLedger().orElseThrow(),
                            "the account checks the outbox's ledger");
                    assertFalse(ledger.getClass().equals(
                            org.twiliochannels.core.consent.ConsentLedger.inMemory().getClass()));
                });
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 30 s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void withADataSourceQueuedMessagesAreSentByTheContextsWorkerAndCallbacksReachTheLedger() {
        runner.withUserConfiguration(Database.class).run(context -> {
            Outbox outbox = context.getBean(Outbox.class);
            assertTrue(outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550177", "From the outbox"), "order-1")));
            await(() -> outbox.state("order-1").map(OutboxRecord::state).orElseThrow() == OutboxState.ACCEPTED);
            MessageSid sid = outbox.state("order-1").orElseThrow().sid().orElseThrow();
            assertEquals(1, TWILIO.sentTo(org.twiliochannels.core.Address.parse("+14155550177")).size());

            context.publishEvent(new StatusCallback(sid, MessageStatus.DELIVERED, OptionalInt.empty(),
                    Map.of("MessageSid", sid.value(), "MessageStatus", "delivered")));
            await(() -> outbox.state("order-1").orElseThrow().twilioStatus()
                    .filter(s -> s == MessageStatus.DELIVERED).isPresent());
        });
    }

    @Test
    void withoutADataSourceOrWhenSwitchedOffThereIsNoOutbox() {
        runner.run(context -> assertFalse(context.containsBean("twilioOutbox")));
        runner.withUserConfiguration(Database.class).withPropertyValues("twilio.outbox.enabled=false")
                .run(context -> assertTrue(context.getBeansOfType(Outbox.class).isEmpty()));
    }

    @Test
    void anInstanceThatOnlyEnqueuesRunsNoWorker() {
        runner.withUserConfiguration(Database.class).withPropertyValues("twilio.outbox.worker=false").run(context -> {
            Outbox outbox = context.getBean(Outbox.class);
            assertFalse(context.containsBean("twilioOutboxWorker"));
            outbox.enqueue(OutboxMessage.of("sms", Message.text("+14155550178", "Waits"), "order-2"));
            Thread.sleep(500);
            assertEquals(OutboxState.QUEUED, outbox.state("order-2").orElseThrow().state());
        });
    }

    /** The application's own worker settings. */
    @Configuration(proxyBeanMethods = false)
    static class OwnSettings {
        @Bean
        WorkerSettings workerSettings() {
            return WorkerSettings.builder().concurrency(3).pacing(PacingSettings.builder().accountCap(7).build()).build();
        }
    }

    @Test
    void theWorkerRunsWithTheDefaultsOrTheApplicationsOwnSettings() {
        runner.withUserConfiguration(Database.class).run(context -> assertEquals(WorkerSettings.defaults(),
                context.getBean(TwilioOutboxAutoConfiguration.OutboxWorkerLifecycle.class).worker().settings()));
        runner.withUserConfiguration(Database.class, OwnSettings.class).run(context -> {
            WorkerSettings own = context.getBean(OwnSettings.class).workerSettings();
            assertEquals(own, context.getBean(WorkerSettings.class));
            assertEquals(own, context.getBean(TwilioOutboxAutoConfiguration.OutboxWorkerLifecycle.class).worker()
                    .settings());
        });
    }
}
