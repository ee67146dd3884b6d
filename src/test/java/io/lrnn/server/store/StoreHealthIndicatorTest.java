package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * The {@code db} health component on real pools: an in-memory H2, and PostgreSQL's driver aimed
 * at a port where nothing listens (a database that is down). A health request reads the last
 * background check and never waits for one in progress.
 */
class StoreHealthIndicatorTest {

    private HikariDataSource pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void upWithTheDatabaseNameWhenTheCheckGetsAValidConnection() {
        pool = pool("jdbc:h2:mem:health-" + System.nanoTime());
        StoreHealthIndicator indicator = new StoreHealthIndicator(pool, properties(), Clock.systemUTC());

        assertThat(indicator.health().getStatus()).as("before the first check").isEqualTo(Status.UNKNOWN);
        StoreHealthIndicator.Check check = indicator.check();

        assertThat(check.up()).isTrue();
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("database", "H2").doesNotContainKeys("error", "downSince");
    }

    @Test
    void downWithThePoolsErrorWhenTheDatabaseDoesNotAnswer() throws Exception {
        pool = unreachable();
        StoreHealthIndicator indicator = new StoreHealthIndicator(pool, properties(), Clock.systemUTC());

        StoreHealthIndicator.Check check = indicator.check();

        assertThat(check.up()).isFalse();
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).contains("Connection is not available");
        assertThat(health.getDetails()).containsEntry("downSince", check.at().toString());
    }

    @Test
    void aHealthRequestDoesNotWaitForACheckInProgress() throws Exception {
        pool = unreachable();
        StoreHealthIndicator indicator = new StoreHealthIndicator(pool, properties(), Clock.systemUTC());
        AtomicReference<StoreHealthIndicator.Check> result = new AtomicReference<>();
        Thread checker = new Thread(() -> result.set(indicator.check()));
        checker.start();
        // Wait until the check waits inside the pool for a connection that will not come.
        while (checker.getState() != Thread.State.TIMED_WAITING && checker.isAlive()) {
            Thread.onSpinWait();
        }

        Health meanwhile = indicator.health();

        assertThat(checker.isAlive()).as("the check was still waiting when health answered").isTrue();
        assertThat(meanwhile.getStatus()).isEqualTo(Status.UNKNOWN);
        checker.join();
        assertThat(result.get().up()).isFalse();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }

    /** A check that never comes back (a hung connection) must not leave the last UP standing. */
    @Test
    void anUpThatIsTooOldCountsAsDown() {
        pool = pool("jdbc:h2:mem:stale-" + System.nanoTime());
        MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        StoreHealthIndicator indicator = new StoreHealthIndicator(pool, properties(), clock);
        indicator.check();

        // Stale after 2 health intervals (5 s) plus 2 connection timeouts (2 s): 14 s.
        clock.now = clock.now.plusSeconds(14);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        clock.now = clock.now.plusSeconds(2);
        Health stale = indicator.health();
        assertThat(stale.getStatus()).isEqualTo(Status.DOWN);
        assertThat(stale.getDetails()).containsEntry("error", "no answer from the database for 16 s");
    }

    private static LrnnProperties properties() {
        return TestProperties.of(Path.of("models"), 1000, DataSize.ofMegabytes(8));
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setConnectionTimeout(500);
        pool.setValidationTimeout(250);
        pool.setMaximumPoolSize(2);
        return pool;
    }

    /** PostgreSQL that is down: nothing listens on the port; the pool starts anyway and waits for it. */
    private static HikariDataSource unreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + port + "/nowhere");
        pool.setInitializationFailTimeout(-1);
        // Long enough that a check is still waiting when a descheduled test thread looks at it.
        pool.setConnectionTimeout(5_000);
        return pool;
    }

    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
