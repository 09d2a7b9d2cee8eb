package org.twiliochannels.outbox;

import javax.sql.DataSource;

/** The compliance rules on a real PostgreSQL, started by the test. */
class CompliancePostgresTest extends ComplianceContract {
    @Override
    DataSource dataSource() {
        return EmbeddedPostgresSupport.sharedPool();
    }
}
