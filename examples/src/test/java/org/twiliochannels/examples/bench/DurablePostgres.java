package org.twiliochannels.examples.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL configured as a durable production server is: {@code fsync=on} and
 * {@code synchronous_commit=on} (the embedded server's defaults turn both off; its start passes
 * {@code -F}, which the later {@code -c fsync=on} overrides, checked with {@code SHOW} at start),
 * its data on disk under {@code dataDir}, deleted at close. It reports the CPU of its whole process
 * tree, read from {@code /proc}.
 */
final class DurablePostgres implements AutoCloseable {
    /** Linux's clock ticks per second for the CPU times in {@code /proc/<pid>/stat} ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    private final EmbeddedPostgres server;
    private final Path dataDir;

    private DurablePostgres(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts a fresh server whose data lives in {@code dataDir} (emptied first). */
    static DurablePostgres start(Path dataDir, int maxConnections) throws IOException, SQLException {
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", Integer.toString(maxConnections)).start();
        DurablePostgres d = new DurablePostgres(pg, dataDir);
        for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
            String value = d.show(setting);
            if (!value.equals("on")) {
                pg.close();
                throw new IllegalStateException("the benchmark's PostgreSQL must run with " + setting + "=on, has "
                        + value);
            }
        }
        return d;
    }

    String show(String setting) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates an empty database {@code name}; returns its JDBC URL. */
    String createDatabase(String name) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        return server.getJdbcUrl("postgres", database);
    }

    /**
     * CPU time, in nanoseconds, of the postmaster and all its children so far: those running now,
     * and those that have ended (the postmaster waits for them, so the kernel adds theirs to its
     * children's times). The difference of two readings is what the server spent in between,
     * backends that came and went included.
     */
    long cpuNanos() {
        long postmaster = postmasterPid();
        long ticks = ticksWithEndedChildren(postmaster);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] f = statFields(Long.parseLong(name));
                    if (f != null && Long.parseLong(f[1]) == postmaster) {
                        ticks += ticksWithEndedChildren(Long.parseLong(name));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                    .get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid in " + dataDir, e);
        }
    }

    private static long ticksWithEndedChildren(long pid) {
        String[] f = statFields(pid);
        if (f == null) {
            throw new IllegalStateException("PostgreSQL's postmaster (process " + pid + ") is gone");
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /**
     * The fields of {@code /proc/PID/stat} after the command name: [0] state, [1] ppid, … [11]
     * utime, [12] stime, [13] cutime, [14] cstime; null when the process is gone.
     */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException gone) {
            return null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
