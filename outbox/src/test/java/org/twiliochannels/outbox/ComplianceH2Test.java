package org.twiliochannels.outbox;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/** The compliance rules on the embedded default, an H2 file database. */
class ComplianceH2Test extends ComplianceContract {
    @TempDir
    Path dir;

    @Override
    DataSource dataSource() {
        return OutboxH2Test.file(dir.resolve("outbox"));
    }
}
