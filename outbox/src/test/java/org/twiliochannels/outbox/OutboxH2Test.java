package org.twiliochannels.outbox;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The single-instance contract on the embedded default, an H2 file database. */
class OutboxH2Test extends OutboxContract {
    @TempDir
    static Path dir;
    static DataSource h2;

    @BeforeAll
    static void database() {
        h2 = fileDatabase(dir.resolve("outbox"));
    }

    /** An H2 file database at {@code file}, kept open while the JVM runs. */
    static DataSource fileDatabase(Path file) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    @Override
    DataSource dataSource() {
        return h2;
    }
}
