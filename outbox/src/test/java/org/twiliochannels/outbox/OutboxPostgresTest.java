package org.twiliochannels.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The single-instance contract on a real PostgreSQL, started by the test. */
class OutboxPostgresTest extends OutboxContract {
    static HikariDataSource pool;

    @BeforeAll
    static void database() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(EmbeddedPostgresSupport.jdbcUrl());
        config.setMaximumPoolSize(20);
        pool = new HikariDataSource(config);
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
