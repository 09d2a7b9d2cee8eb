package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.pacing.PacingSettings;

/**
 * A worker in a JVM of its own, as an application instance runs it: started by the tests with
 * {@code java -cp <the test class path> org.twiliochannels.outbox.WorkerProcess}. Arguments: JDBC
 * URL, table prefix, Twilio base URL, worker id, lease in ms, sender rate in segments per second,
 * concurrency, and optionally the table prefix of a warm-up outbox: a second worker of this JVM
 * sends that outbox's messages through the same account, paced far above any load, so that a test
 * can warm the JVM's send path up (as a long-running instance is) before it measures. The fake's
 * credentials come in the environment; with {@code WORKER_PAUSED=true} there too, the JVM starts,
 * prints "ready" and starts its worker only when a line arrives on its standard input (a test's
 * stand-by instance); with {@code WORKER_CLOCK=<ISO instant>}, its outbox decides on that fixed
 * time (quiet hours, leases) instead of the system clock. Runs until its standard input closes (or it is killed).
 */
public final class WorkerProcess {
    private WorkerProcess() {}

    /**
     * The account every sending process of the tests and the benchmark uses (the direct sender too,
     * so that the comparison differs only in the outbox): the fake's credentials from the
     * environment, {@code concurrency} connections, a 5 s send deadline, a 200 ms settle delay.
     */
    static TwilioConfig account(URI twilio, int concurrency) {
        return TwilioConfig.builder()
                .credentials(AccountSid.of(System.getenv("FAKE_ACCOUNT_SID")), AuthToken.of(System.getenv("FAKE_AUTH_TOKEN")))
                .apiBaseUrl(twilio)
                .smsFrom(PhoneNumber.of("+15005550006"))
                .sendDeadline(Duration.ofSeconds(5))
                .retryPolicy(RetryPolicy.builder().settleDelay(Duration.ofMillis(200)).build())
                .maxConcurrentRequests(concurrency)
                .build();
    }

    /** Runs one worker. */
    public static void main(String[] args) throws IOException {
        String jdbcUrl = args[0];
        String prefix = args[1];
        URI twilio = URI.create(args[2]);
        String workerId = args[3];
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        double rate = Double.parseDouble(args[5]);
        int concurrency = Integer.parseInt(args[6]);

        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(concurrency + 4);
        TwilioConfig config = account(twilio, concurrency);
        try (HikariDataSource ds = new HikariDataSource(pool);
             TwilioAccount account = TwilioAccount.open(config)) {
            if (Boolean.parseBoolean(System.getenv("WORKER_PAUSED"))) {
                System.out.println("worker " + workerId + " ready");
                System.out.flush();
                for (int b = System.in.read(); b >= 0 && b != '\n'; b = System.in.read()) {
                    // waits for the line that starts the worker
                }
            }
            String fixed = System.getenv("WORKER_CLOCK"); // a test's time of day, for quiet hours
            java.time.Clock clock = fixed == null ? java.time.Clock.systemUTC()
                    : java.time.Clock.fixed(java.time.Instant.parse(fixed), java.time.ZoneOffset.UTC);
            Outbox outbox = Outbox.builder(ds).tablePrefix(prefix).workerId(workerId).lease(lease).clock(clock).build();
            WorkerSettings settings = WorkerSettings.builder().concurrency(concurrency).pollInterval(Duration.ofMillis(50))
                    .pacing(PacingSettings.builder().senderRate("+15005550006", rate).build()).build();
            Outbox warmUp = args.length > 7
                    ? Outbox.builder(ds).tablePrefix(args[7]).workerId(workerId).lease(lease).build() : null;
            WorkerSettings warmUpSettings = settings.newBuilder()
                    .pacing(PacingSettings.builder().senderRate("+15005550006", 100_000).build()).build();
            try (OutboxWorker worker = outbox.startWorker(account, settings);
                 OutboxWorker warming = warmUp == null ? null : warmUp.startWorker(account, warmUpSettings)) {
                System.out.println("worker " + worker.id() + " started" + (warming == null ? "" : " with a warm-up worker"));
                System.out.flush();
                while (System.in.read() >= 0) {
                    // runs until the parent closes our standard input
                }
                System.out.println("worker " + worker.id() + " stopping after " + worker.finishedCount());
            }
        }
    }
}
