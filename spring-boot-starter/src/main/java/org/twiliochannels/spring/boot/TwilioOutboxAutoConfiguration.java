package org.twiliochannels.spring.boot;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.beans.factory.ObjectProvider;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxWorker;
import org.twiliochannels.outbox.WorkerHealth;
import org.twiliochannels.outbox.WorkerSettings;

/**
 * The outbox, when {@code twilio-channels-outbox} and a {@link DataSource} are present: an
 * {@link Outbox} bean on the application's database (schema created or upgraded at start), a worker
 * started and stopped with the context ({@code twilio.outbox.worker=false} for instances that only
 * enqueue) with the {@link WorkerSettings} bean (the defaults unless the application defines one:
 * sends in flight, pacing, retention), the consent ledger in the same database (with the application's
 * {@link QuietHours} bean, if any, for the messages it holds), and the verified status callbacks of the
 * webhook endpoint fed to the ledger. The application's own {@code Outbox} and {@code WorkerSettings} beans win.
 */
@AutoConfiguration(after = TwilioAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass(Outbox.class)
@ConditionalOnBean({DataSource.class, TwilioAccount.class})
@ConditionalOnProperty(prefix = "twilio", name = {"enabled", "outbox.enabled"}, matchIfMissing = true)
public class TwilioOutboxAutoConfiguration {

    /** Creates the auto-configuration (by Spring). */
    public TwilioOutboxAutoConfiguration() {}

    /** The outbox on the application's database, its schema migrated. */
    @Bean
    @ConditionalOnMissingBean
    Outbox twilioOutbox(DataSource dataSource, TwilioProperties properties, ObjectProvider<QuietHours> quietHours) {
        Outbox.Builder b = Outbox.builder(dataSource).tablePrefix(properties.getOutbox().getTablePrefix());
        quietHours.ifAvailable(b::quietHours);
        Outbox outbox = b.build();
        outbox.migrate();
        return outbox;
    }

    /**
     * The consent ledger in the outbox's database, so that every instance sees the same opt-outs: the
     * account checks it before every send and the workers at every claim; it replaces the in-memory
     * ledger of {@link TwilioConsentAutoConfiguration}. The application's own ledger bean wins.
     */
    @Bean
    @ConditionalOnMissingBean
    ConsentLedger twilioOutboxConsentLedger(Outbox outbox) {
        return outbox.consentLedger();
    }

    /** How the worker works: {@link WorkerSettings#defaults()}, unless the application defines its own. */
    @Bean
    @ConditionalOnMissingBean
    WorkerSettings twilioOutboxWorkerSettings() {
        return WorkerSettings.defaults();
    }

    /** Runs this instance's worker while the context runs. */
    @Bean
    @ConditionalOnProperty(prefix = "twilio.outbox", name = "worker", matchIfMissing = true)
    OutboxWorkerLifecycle twilioOutboxWorker(Outbox outbox, TwilioAccount account, WorkerSettings settings) {
        return new OutboxWorkerLifecycle(outbox, account, settings);
    }

    /** Feeds verified status callbacks (published by the webhook endpoint) to the ledger. */
    @Bean
    OutboxStatusFeeder twilioOutboxStatusFeeder(Outbox outbox) {
        return new OutboxStatusFeeder(outbox);
    }

    /** Starts the worker after the context is ready and closes it before the account closes. */
    static final class OutboxWorkerLifecycle implements SmartLifecycle {
        private final Outbox outbox;
        private final TwilioAccount account;
        private final WorkerSettings settings;
        private volatile OutboxWorker worker;

        OutboxWorkerLifecycle(Outbox outbox, TwilioAccount account, WorkerSettings settings) {
            this.outbox = outbox;
            this.account = account;
            this.settings = settings;
        }

        @Override
        public synchronized void start() {
            if (worker == null) {
                worker = outbox.startWorker(account, settings);
            }
        }

        @Override
        public synchronized void stop() {
            if (worker != null) {
                worker.close();
                worker = null;
            }
        }

        @Override
        public boolean isRunning() {
            return worker != null;
        }

        /** The running worker, if any. */
        OutboxWorker worker() {
            return worker;
        }

        /** The running worker's health, or null while no worker runs. */
        WorkerHealth health() {
            OutboxWorker w = worker;
            return w == null ? null : w.health();
        }
    }

    /** Records each verified status callback in the outbox's ledger (duplicates are ignored there). */
    static final class OutboxStatusFeeder {
        private final Outbox outbox;

        OutboxStatusFeeder(Outbox outbox) {
            this.outbox = outbox;
        }

        @EventListener
        void on(StatusCallback callback) {
            outbox.recordStatusCallback(callback);
        }
    }
}
