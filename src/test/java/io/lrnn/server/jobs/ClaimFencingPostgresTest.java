package io.lrnn.server.jobs;

import io.lrnn.server.store.PostgresTestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClaimFencingScenarios} on a real PostgreSQL. */
class ClaimFencingPostgresTest extends ClaimFencingScenarios {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Override
    void createDatabase() {
        // The class's schema; every scenario empties the jobs table first.
    }

    @Override
    DataSource dataSource() {
        return DB.dataSource(4);
    }
}
