package org.twiliochannels.outbox;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One worker for many accounts on an H2 file database. */
class ManyAccountsH2Test extends ManyAccountsContract {
    @TempDir
    static Path dir;
    static DataSource h2;

    @BeforeAll
    static void database() {
        h2 = OutboxH2Test.file(dir.resolve("outbox"));
    }

    @Override
    DataSource dataSource() {
        return h2;
    }
}
