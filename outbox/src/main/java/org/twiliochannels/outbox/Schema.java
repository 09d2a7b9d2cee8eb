package org.twiliochannels.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates and upgrades the outbox's tables from versioned SQL files
 * ({@code schema/V<n>__<name>.sql} beside this class), recording each applied version in
 * {@code <prefix>outbox_schema}. On PostgreSQL the upgrade runs in one transaction under an
 * advisory lock, so instances starting together apply each version once.
 */
final class Schema {
    /** The versions, in order; a new file is added here. */
    static final List<String> VERSIONS = List.of("V1__outbox");

    private Schema() {}

    /** Applies the versions the database lacks; returns how many were applied. */
    static int migrate(DataSource dataSource, String prefix) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(c);
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (dialect == Dialect.POSTGRESQL) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, ("twilio-channels-outbox:" + prefix).hashCode());
                        lock.execute();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "outbox_schema (version INTEGER PRIMARY KEY,"
                            + " name VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                }
                int current = 0;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + prefix + "outbox_schema")) {
                    if (rs.next()) {
                        current = rs.getInt(1);
                    }
                }
                if (current > VERSIONS.size()) {
                    throw new IllegalStateException("The outbox tables with prefix " + prefix + " are at schema version "
                            + current + ", newer than this library knows (" + VERSIONS.size() + "); upgrade"
                            + " twilio-channels-outbox on this instance.");
                }
                int applied = 0;
                for (int v = current + 1; v <= VERSIONS.size(); v++) {
                    String name = VERSIONS.get(v - 1);
                    try (Statement s = c.createStatement()) {
                        for (String sql : statements(read(name), prefix)) {
                            s.execute(sql);
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + prefix
                            + "outbox_schema (version, name, applied_at) VALUES (?, ?, ?)")) {
                        p.setInt(1, v);
                        p.setString(2, name);
                        p.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                        p.executeUpdate();
                    }
                    applied++;
                }
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    static String read(String name) {
        String path = "schema/" + name + ".sql";
        try (InputStream in = Schema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + path + " is missing from the outbox jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements of a file: comments dropped, split at semicolons that end a line, prefix filled in. */
    static List<String> statements(String text, String prefix) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (l.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1).replace("${prefix}", prefix));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip().replace("${prefix}", prefix));
        }
        return out;
    }
}
