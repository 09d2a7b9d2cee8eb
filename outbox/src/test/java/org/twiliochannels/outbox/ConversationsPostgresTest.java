package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Conversations on a real PostgreSQL, started by the test. */
class ConversationsPostgresTest extends ConversationsContract {
    static HikariDataSource pool;

    @BeforeAll
    static void database() {
        pool = EmbeddedPostgresSupport.pool(10);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Override
    DataSource dataSource() {
        return pool;
    }
}
