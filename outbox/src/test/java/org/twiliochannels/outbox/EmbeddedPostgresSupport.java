package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One PostgreSQL server for the test JVM, started on first use on a free port, stopped at exit. */
final class EmbeddedPostgresSupport {
    private static EmbeddedPostgres server;

    private EmbeddedPostgresSupport() {}

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        // a server for tests: a crash of PostgreSQL itself is not what they test
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("fsync", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the process is ending anyway
                }
            }));
        }
        return server;
    }

    /** A JDBC URL for the {@code postgres} database, for child JVMs. */
    static String jdbcUrl() {
        return server().getJdbcUrl("postgres", "postgres");
    }

    private static HikariDataSource shared;

    /** A pool of 20 connections shared by the test classes that ask for it, closed at exit. */
    static synchronized HikariDataSource sharedPool() {
        if (shared == null) {
            shared = pool(20);
            HikariDataSource started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return shared;
    }

    /** A pool of at most {@code size} connections to the {@code postgres} database; the caller closes it. */
    static HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }
}
