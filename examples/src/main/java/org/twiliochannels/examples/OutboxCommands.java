package org.twiliochannels.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.schedule.RecipientTimeZones;
import org.twiliochannels.outbox.KeyedChange;
import org.twiliochannels.dashboard.Dashboard;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxException;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.OutboxState;
import org.twiliochannels.outbox.OutboxUnavailableException;
import org.twiliochannels.outbox.OutboxWorker;
import org.twiliochannels.outbox.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The command line's outbox: {@code send-bulk … --outbox JDBC_URL} (enqueue each row once, then
 * work the queue with every other process on the same database), {@code outbox status JDBC_URL} and
 * {@code outbox report --db JDBC_URL --html FILE} (the dashboard's page as a file).
 */
final class OutboxCommands {
    /** Rows per enqueue transaction. */
    static final int ENQUEUE_BATCH = 1000;
    /**
     * Connections of the command's pool: the worker's units of work each hold one while they run
     * (a claim with its pacing reservation, the late messages' reservation, a group of attempts, a
     * batch of outcomes), and so do the command's enqueue and its progress count; its send threads
     * hold none while they wait or send. More would only be opened and left idle.
     */
    static final int POOL_SIZE = 8;

    private OutboxCommands() {}

    /**
     * {@code send-bulk --outbox}: every row is enqueued with a key made of the file's content, the
     * channel, the body and the row number, so the same file and message enqueued again (by this or
     * another process) adds nothing, in transactions of {@value #ENQUEUE_BATCH} rows. A worker,
     * started first, works the queue with all other processes on the database meanwhile (the rows
     * committed go out while the rest is enqueued), and this process exits when every message of
     * the run has an outcome.
     */
    static int sendBulk(SendBulk cmd, TwilioConfig config, String phoneColumn, PrintWriter out, PrintWriter err) {
        String run = runId(cmd);
        try (HikariDataSource ds = dataSource(cmd.outbox, POOL_SIZE)) {
            Outbox outbox = Outbox.builder(ds).lease(config.sendDeadline().plusSeconds(10)).clock(cmd.cli.clock()).build();
            PacingSettings.Builder pacing = PacingSettings.builder();
            if (cmd.rate != null) {
                config.smsFrom().ifPresent(f -> pacing.senderRate(f.value(), cmd.rate));
                config.whatsAppFrom().ifPresent(f -> pacing.senderRate(f.value(), cmd.rate));
                config.messagingServiceSid().ifPresent(s -> pacing.senderRate(s.value(), cmd.rate));
            }
            WorkerSettings settings = WorkerSettings.builder().concurrency(cmd.concurrency).pacing(pacing.build()).build();
            outbox.migrate();
            Map<OutboxState, Long> counts;
            long invalid;
            // the worker starts first: the rows committed go out while the rest of the file is enqueued
            try (TwilioAccount account = TwilioAccount.open(config);
                 OutboxWorker worker = outbox.startWorker(account, settings)) {
                Later later = new Later(cmd.cli.clock().instant());
                long[] enqueued = enqueueFile(cmd, run, phoneColumn, outbox, ds, err, later);
                invalid = enqueued[1];
                out.println("Outbox " + redact(cmd.outbox) + ", run " + run + ": " + enqueued[0] + " message(s) enqueued"
                        + " now" + (outbox.sharesPacing() ? "" : " (H2: pacing is per process; use PostgreSQL for"
                        + " several)"));
                later.report(out, cmd);
                out.flush();
                boolean away = false;
                while (true) {
                    try {
                        counts = outbox.counts(run);
                    } catch (OutboxUnavailableException e) {
                        if (!away) {
                            err.println("The outbox database cannot be reached (" + e.getMessage() + "); waiting for"
                                    + " it: nothing is sent that cannot be recorded, and the run goes on once it is"
                                    + " back.");
                            away = true;
                        }
                        Thread.sleep(1000);
                        continue;
                    }
                    if (away) {
                        err.println("The outbox database is back (unreachable for "
                                + worker.health().outages() + " outage(s) so far).");
                        away = false;
                    }
                    err.println(describe(counts) + " (all processes)");
                    err.flush();
                    if (waiting(counts) <= later.count()) { // the rest waits for its time: any worker sends it then
                        break;
                    }
                    Thread.sleep(1000);
                }
                out.println("Done: " + describe(counts) + "; this process sent " + worker.finishedCount());
                if (waiting(counts) > 0 && later.count() > 0) {
                    out.println(waiting(counts) + " message(s) stay queued for their time: a worker on this database"
                            + " sends them then (run this command again then: it adds nothing and sends what is due).");
                }
            }
            if (counts.get(OutboxState.UNKNOWN) > 0) {
                err.println(counts.get(OutboxState.UNKNOWN) + " message(s) may have been sent: check them in the outbox"
                        + " (outbox status) before sending again.");
                return Cli.UNKNOWN;
            }
            return counts.get(OutboxState.REJECTED) + invalid > 0 ? Cli.REJECTED : Cli.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.UNKNOWN;
        } catch (OutboxException e) {
            err.println(e.getMessage());
            return Cli.USAGE;
        }
    }

    /** Enqueues every valid row of the file; returns how many were added and how many rows were invalid. */
    private static long[] enqueueFile(SendBulk cmd, String run, String phoneColumn, Outbox outbox, HikariDataSource ds,
                                      PrintWriter err, Later later) {
        MessageCategory category = MessageCategory.of(cmd.category);
        Instant notBefore = cmd.notBefore == null ? null : time("--not-before", cmd.notBefore);
        long added = 0;
        long invalid = 0;
        List<OutboxMessage> pending = new ArrayList<>();
        try (CsvRows rows = new CsvRows(cmd.file)) {
            long n = 0;
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                n++;
                Message m;
                try {
                    m = cmd.toMessage(row, phoneColumn, false);
                } catch (InvalidMessageException e) {
                    invalid++;
                    err.println(row.get("#line") + ": " + e.getMessage() + " (not enqueued)");
                    continue;
                }
                String key = run + ":" + n;
                if (cmd.keyColumn != null) {
                    key = row.getOrDefault(cmd.keyColumn, "");
                    if (key.isBlank()) {
                        invalid++;
                        err.println(row.get("#line") + ": --key-column " + cmd.keyColumn + " is empty (not enqueued)");
                        continue;
                    }
                }
                OutboxMessage.Builder b = OutboxMessage.builder(cmd.channel, m).key(key).batch(run).category(category);
                if (notBefore != null) {
                    b.notBefore(notBefore);
                }
                OutboxMessage message = b.build();
                try {
                    later.add(message, outbox.heldUntil(message), notBefore);
                } catch (IllegalArgumentException e) {
                    invalid++;
                    err.println(row.get("#line") + ": " + e.getMessage() + " (not enqueued)");
                    continue;
                }
                pending.add(message);
                if (pending.size() == ENQUEUE_BATCH) {
                    added += enqueue(outbox, ds, pending);
                }
            }
        }
        added += enqueue(outbox, ds, pending);
        return new long[] {added, invalid};
    }

    private static int enqueue(Outbox outbox, HikariDataSource ds, List<OutboxMessage> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        try (var c = ds.getConnection()) {
            c.setAutoCommit(false);
            int n = outbox.enqueueAll(c, batch);
            c.commit();
            batch.clear();
            return n;
        } catch (java.sql.SQLException e) {
            throw new OutboxException("could not enqueue: " + e.getMessage(), e);
        }
    }

    /** The options of {@code send-bulk --outbox}, checked before anything is sent or enqueued. */
    static void checkOptions(SendBulk cmd, String phoneColumn) {
        MessageCategory.of(cmd.category);
        if (cmd.notBefore != null) {
            time("--not-before", cmd.notBefore);
        }
        if (cmd.keyColumn != null) {
            try (CsvRows rows = new CsvRows(cmd.file)) {
                if (!rows.header().contains(cmd.keyColumn)) {
                    throw new IllegalArgumentException("--key-column \"" + cmd.keyColumn + "\" is not a column of "
                            + cmd.file.getFileName() + " (its columns: " + rows.header() + ")");
                }
            }
        }
    }

    /** A time as the options take it: ISO-8601 with its offset. */
    static Instant time(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " \"" + text + "\" must be an ISO-8601 time with its offset, e.g."
                    + " 2026-12-08T09:00-06:00 or 2026-12-08T15:00Z");
        }
    }

    /** The messages of a run that go later than now: held by quiet hours, or not before a given time. */
    static final class Later {
        private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
        private final Instant now;
        private long held;
        private long scheduled;
        private OutboxMessage first;
        private Instant firstAt;
        private OutboxMessage last;
        private Instant lastAt;

        Later(Instant now) {
            this.now = now;
        }

        void add(OutboxMessage m, Optional<Instant> heldUntil, Instant notBefore) {
            if (heldUntil.isPresent()) {
                Instant due = heldUntil.get();
                held++;
                if (firstAt == null || due.isBefore(firstAt)) {
                    first = m;
                    firstAt = due;
                }
                if (lastAt == null || due.isAfter(lastAt)) {
                    last = m;
                    lastAt = due;
                }
            } else if (notBefore != null && notBefore.isAfter(now)) {
                scheduled++;
            }
        }

        long count() {
            return held + scheduled;
        }

        void report(PrintWriter out, SendBulk cmd) {
            if (scheduled > 0) {
                out.println(scheduled + " message(s) wait for --not-before " + cmd.notBefore);
            }
            if (held > 0) {
                out.println(held + " message(s) held by quiet hours (" + first.category() + " messages go only "
                        + QuietHours.defaults().window(first.message().to(), first.category()) + " in the recipient's"
                        + " local time): the first goes at " + at(first, firstAt) + ", the last at " + at(last, lastAt));
            }
        }

        private static String at(OutboxMessage m, Instant t) {
            List<ZoneId> zones = m.timeZone().map(List::of).orElseGet(() -> RecipientTimeZones.of(m.message().to()));
            StringBuilder s = new StringBuilder(DAY_TIME.format(t.atOffset(ZoneOffset.UTC)) + " UTC (");
            for (int i = 0; i < zones.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(DAY_TIME.format(t.atZone(zones.get(i)))).append(' ')
                        .append(zones.get(i).getId());
            }
            return s.append(")").toString();
        }
    }

    static long waiting(Map<OutboxState, Long> counts) {
        return counts.get(OutboxState.QUEUED) + counts.get(OutboxState.CLAIMED) + counts.get(OutboxState.SENDING);
    }

    static String describe(Map<OutboxState, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder suppressed = new StringBuilder();
        for (OutboxState s : OutboxState.values()) {
            if (s.isSuppressed() && counts.get(s) > 0) {
                suppressed.append(", ").append(counts.get(s)).append(' ').append(s.dbName().replace('-', ' '));
            }
        }
        return total + " messages: " + counts.get(OutboxState.ACCEPTED) + " accepted, " + counts.get(OutboxState.REJECTED)
                + " rejected, " + counts.get(OutboxState.UNKNOWN) + " unknown" + suppressed + ", " + waiting(counts)
                + " waiting or in flight";
    }

    /** The run's id: the file's content, the channel and the body, hashed. */
    static String runId(SendBulk cmd) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(cmd.file));
            sha.update(("\n" + cmd.channel + "\n" + cmd.body).getBytes(StandardCharsets.UTF_8));
            return "send-bulk:" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static HikariDataSource dataSource(String jdbcUrl, int size) {
        return dataSource("--outbox", jdbcUrl, size);
    }

    static HikariDataSource dataSource(String option, String jdbcUrl, int size) {
        return new HikariDataSource(poolConfig(option, jdbcUrl, size));
    }

    /** A pool's settings for {@code jdbcUrl}, given as {@code option}; checks that it is a PostgreSQL or H2 URL. */
    static HikariConfig poolConfig(String option, String jdbcUrl, int size) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(option + " \"" + redact(jdbcUrl) + "\" must be a PostgreSQL or H2 JDBC URL,"
                    + " e.g. jdbc:postgresql://db:5432/app?user=app&password=… or jdbc:h2:file:./twilio-outbox");
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        c.setMaximumPoolSize(size);
        // a database away is reported after 5 s rather than the pool's default 30; the worker keeps trying
        c.setConnectionTimeout(5000);
        c.setPoolName("twilio-outbox");
        return c;
    }

    /** The URL without its password, for output. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** {@code outbox}: commands on an outbox database. */
    @Command(name = "outbox", mixinStandardHelpOptions = true, description = "Look into an outbox database.",
            subcommands = {Status.class, Cancel.class, Reschedule.class, Report.class})
    static final class Group implements Runnable {
        @ParentCommand
        Cli cli;

        @Override
        public void run() {
            cli.err.println("Give a subcommand: outbox status JDBC_URL, outbox cancel KEY --db JDBC_URL, outbox"
                    + " reschedule KEY TIME --db JDBC_URL, or outbox report --db JDBC_URL --html FILE");
        }
    }

    /** {@code outbox status JDBC_URL}: the counts per state. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print how many messages are in each state.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Parameters(index = "0", description = "JDBC URL of the outbox database (PostgreSQL or H2).")
        String jdbcUrl;

        @Override
        public Integer call() {
            PrintWriter out = group.cli.out;
            try (HikariDataSource ds = dataSource(jdbcUrl, 2)) {
                Outbox outbox = Outbox.builder(ds).build();
                outbox.migrate();
                Map<OutboxState, Long> counts = outbox.counts();
                Map<MessageStatus, Long> twilio = outbox.twilioStatusCounts(null);
                for (OutboxState s : OutboxState.values()) {
                    out.printf("%-9s %d%n", s.dbName(), counts.get(s));
                }
                twilio.forEach((status, n) -> out.printf("  accepted, Twilio %s: %d%n", status.twilioName(), n));
                return Cli.OK;
            } catch (IllegalArgumentException | OutboxException e) {
                group.cli.err.println(e.getMessage());
                return Cli.USAGE;
            } catch (RuntimeException e) {
                group.cli.err.println("cannot read the outbox at " + redact(jdbcUrl) + ": " + e.getMessage());
                return Cli.USAGE;
            }
        }
    }

    /** {@code outbox cancel KEY --db JDBC_URL}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel the queued message with this key:"
            + " it is never sent. Too late once a worker has started sending it (exit 1, and what happened).")
    static final class Cancel implements Callable<Integer> {
        @ParentCommand
        Group group;

        @picocli.CommandLine.Mixin
        ConsentCommands.Database db;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key it was enqueued with (--key-column).")
        String key;

        @Override
        public Integer call() {
            return byKey(group.cli, db.url, "canceled", outbox -> outbox.cancel(key));
        }
    }

    /** {@code outbox reschedule KEY TIME --db JDBC_URL}. */
    @Command(name = "reschedule", mixinStandardHelpOptions = true, description = "Move the queued message with this key"
            + " to another time (quiet hours still apply). Too late once a worker has started sending it.")
    static final class Reschedule implements Callable<Integer> {
        @ParentCommand
        Group group;

        @picocli.CommandLine.Mixin
        ConsentCommands.Database db;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key it was enqueued with (--key-column).")
        String key;

        @Parameters(index = "1", paramLabel = "TIME", description = "ISO-8601 with its offset, e.g."
                + " 2026-12-08T09:00-06:00.")
        String time;

        @Override
        public Integer call() {
            try {
                Instant at = time("TIME", time);
                return byKey(group.cli, db.url, "rescheduled", outbox -> outbox.reschedule(key, at));
            } catch (IllegalArgumentException e) {
                group.cli.err.println(e.getMessage());
                return Cli.USAGE;
            }
        }
    }

    private static int byKey(Cli cli, String url, String verb, java.util.function.Function<Outbox, KeyedChange> change) {
        try (HikariDataSource ds = dataSource(url, 2)) {
            Outbox outbox = Outbox.builder(ds).clock(cli.clock()).build();
            outbox.migrate();
            KeyedChange c = change.apply(outbox);
            (c.applied() ? cli.out : cli.err).println(c.describe(verb));
            return c.applied() ? Cli.OK : Cli.REJECTED;
        } catch (IllegalArgumentException | OutboxException e) {
            cli.err.println(e.getMessage());
            return Cli.USAGE;
        }
    }
    /** {@code outbox report --db JDBC_URL --html FILE}: the dashboard's page as one self-contained file. */
    @Command(name = "report", mixinStandardHelpOptions = true, description = "Write the outbox's dashboard page as a"
            + " self-contained HTML file (for a ticket, an email, a nightly job). Reads only.")
    static final class Report implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Option(names = "--db", required = true, paramLabel = "JDBC_URL",
                description = "JDBC URL of the outbox database (PostgreSQL or H2).")
        String jdbcUrl;

        @Option(names = "--html", required = true, paramLabel = "FILE", description = "The HTML file to write (replaced).")
        Path html;

        @Option(names = "--table-prefix", paramLabel = "PREFIX", defaultValue = Outbox.DEFAULT_PREFIX,
                description = "The outbox's table-name prefix (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--cap", paramLabel = "PER_SECOND",
                description = "The account's cap in messages per second, drawn on the throughput charts.")
        Double cap;

        @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Outbox", description = "The page's title.")
        String title;

        @Override
        public Integer call() {
            PrintWriter out = group.cli.out;
            // every option checked before the database is asked: the pool connects on first use
            try (HikariDataSource ds = new HikariDataSource()) {
                poolConfig("--db", jdbcUrl, 2).copyStateTo(ds);
                Dashboard.Builder b = Dashboard.builder(ds).tablePrefix(prefix).title(title);
                if (cap != null) {
                    b.accountCap(cap);
                }
                Dashboard dashboard = b.build();
                Map<OutboxState, Long> counts = Outbox.builder(ds).tablePrefix(prefix).build().counts();
                dashboard.writeReport(html);
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                out.printf("wrote %s: %d message(s), %d queued, %d may have been sent%n", html, total,
                        counts.get(OutboxState.QUEUED), counts.get(OutboxState.UNKNOWN));
                return Cli.OK;
            } catch (IllegalArgumentException | OutboxException e) {
                group.cli.err.println(e.getMessage());
                return Cli.USAGE;
            } catch (IOException e) {
                group.cli.err.println("--html " + html + ": cannot write the report: " + e.getMessage());
                return Cli.USAGE;
            } catch (RuntimeException e) {
                group.cli.err.println("cannot read the outbox at " + redact(jdbcUrl) + ": " + e.getMessage());
                return Cli.USAGE;
            }
        }
    }
}
