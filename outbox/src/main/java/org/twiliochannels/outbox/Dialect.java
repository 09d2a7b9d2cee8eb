package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.twiliochannels.core.pacing.RateBuckets;

/**
 * The databases the outbox runs on, and everything that differs between them; the store asks its
 * dialect instead of testing which database it is on.
 */
enum Dialect {
    /** Several instances: shared pacing through Bucket4j's PostgreSQL backend. */
    POSTGRESQL {
        @Override
        void lockForMigration(Connection c, String prefix) throws SQLException {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ("twilio-channels-outbox:" + prefix).hashCode());
                lock.execute();
            }
        }

        @Override
        <T> int insertSkippingDuplicates(Connection c, String insert, String unique, List<T> rows, Binder<T> binder)
                throws SQLException {
            try (PreparedStatement p = c.prepareStatement(insert + " ON CONFLICT (" + unique + ") DO NOTHING")) {
                for (T row : rows) {
                    binder.bind(p, row);
                    p.addBatch();
                }
                int added = 0;
                for (int n : p.executeBatch()) {
                    added += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : n;
                }
                return added;
            }
        }

        @Override
        boolean bulkStatements() {
            return true;
        }

        @Override
        String upsert(String table, List<String> keys, List<String> columns) {
            return "INSERT INTO " + table + " (" + String.join(", ", keys) + ", " + String.join(", ", columns)
                    + ") VALUES (" + marks(keys.size() + columns.size()) + ") ON CONFLICT (" + String.join(", ", keys)
                    + ") DO UPDATE SET " + String.join(", ", columns.stream().map(c -> c + " = EXCLUDED." + c).toList());
        }

        @Override
        RateBuckets rateBuckets(DataSource dataSource, String prefix) {
            return SharedRateBuckets.on(dataSource, prefix + "rate_bucket");
        }
    },
    /** One machine: the embedded default; pacing in this process only. */
    H2 {
        @Override
        void lockForMigration(Connection c, String prefix) {
            // one machine: H2's own table locks serialise the migration
        }

        @Override
        <T> int insertSkippingDuplicates(Connection c, String insert, String unique, List<T> rows, Binder<T> binder)
                throws SQLException {
            int added = 0;
            try (PreparedStatement p = c.prepareStatement(insert)) {
                for (T row : rows) {
                    binder.bind(p, row);
                    try {
                        added += p.executeUpdate();
                    } catch (SQLException e) {
                        if (!isDuplicate(e)) {
                            throw e;
                        }
                    }
                }
            }
            return added;
        }

        @Override
        boolean bulkStatements() {
            return false;
        }

        @Override
        String upsert(String table, List<String> keys, List<String> columns) {
            return "MERGE INTO " + table + " (" + String.join(", ", keys) + ", " + String.join(", ", columns) + ") KEY ("
                    + String.join(", ", keys) + ") VALUES (" + marks(keys.size() + columns.size()) + ")";
        }

        @Override
        RateBuckets rateBuckets(DataSource dataSource, String prefix) {
            return RateBuckets.local();
        }
    };

    /** Sets the parameters of one row of a batch. */
    interface Binder<T> {
        void bind(PreparedStatement p, T row) throws SQLException;
    }

    /** Serialises migrations of the same tables by instances starting together, within {@code c}'s transaction. */
    abstract void lockForMigration(Connection c, String prefix) throws SQLException;

    /**
     * Inserts rows with {@code insert}, skipping those that would repeat a value of the unique
     * column {@code unique} (PostgreSQL: {@code ON CONFLICT DO NOTHING} in one batch; H2: row by row).
     *
     * @return how many rows were added
     */
    abstract <T> int insertSkippingDuplicates(Connection c, String insert, String unique, List<T> rows,
                                              Binder<T> binder) throws SQLException;

    /**
     * True when a whole batch runs as one statement: array parameters spread into rows
     * ({@code unnest(CAST(? AS TEXT[]), …)}), {@code UPDATE … FROM … RETURNING}, and an update
     * feeding an insert ({@code WITH u AS (UPDATE …) INSERT … SELECT … FROM u}); else one statement
     * per row in a JDBC batch.
     */
    abstract boolean bulkStatements();

    /**
     * A statement that inserts a row, or sets {@code columns} of the row with the same
     * {@code keys}; parameters: the keys, then the columns (PostgreSQL: {@code ON CONFLICT DO
     * UPDATE}; H2: {@code MERGE … KEY}).
     */
    abstract String upsert(String table, List<String> keys, List<String> columns);

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** The pacing buckets of instances on this database. */
    abstract RateBuckets rateBuckets(DataSource dataSource, String prefix);

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
