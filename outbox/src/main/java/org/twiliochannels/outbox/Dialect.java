package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the outbox runs on, and what differs between them. */
enum Dialect {
    /** Several instances: shared pacing through Bucket4j's PostgreSQL backend. */
    POSTGRESQL,
    /** One machine: the embedded default; pacing in this process only. */
    H2;

    /** The dialect of {@code connection}'s database. */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalStateException("The outbox runs on PostgreSQL (several instances) or H2 (one machine);"
                + " the DataSource given is " + product + ". Point it at a PostgreSQL database.");
    }

    /** True when a unique-key violation is this SQL state (the same code on both). */
    static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
