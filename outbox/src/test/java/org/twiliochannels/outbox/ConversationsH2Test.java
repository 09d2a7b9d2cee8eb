package org.twiliochannels.outbox;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Conversations on the embedded default, an H2 file database. */
class ConversationsH2Test extends ConversationsContract {
    @TempDir
    static Path dir;
    static DataSource h2;

    @BeforeAll
    static void database() {
        h2 = OutboxH2Test.file(dir.resolve("conversations"));
    }

    @Override
    DataSource dataSource() {
        return h2;
    }
}
