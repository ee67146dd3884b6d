package io.lrnn.server.jobs;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link ClaimFencingScenarios} on H2 in PostgreSQL mode, one in-memory database shared by the replicas. */
class ClaimFencingH2Test extends ClaimFencingScenarios {

    private final List<HikariDataSource> pools = new ArrayList<>();
    private String url;

    @Override
    void createDatabase() {
        url = "jdbc:h2:mem:fencing-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    }

    @Override
    DataSource dataSource() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        pool.setMaximumPoolSize(4);
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }
}
