package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One worker for many accounts on a real PostgreSQL, started by the test. */
class ManyAccountsPostgresTest extends ManyAccountsContract {
    static HikariDataSource pool;

    @BeforeAll
    static void database() {
        pool = EmbeddedPostgresSupport.pool(20);
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
