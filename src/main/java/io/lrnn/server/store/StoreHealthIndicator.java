package io.lrnn.server.store;

import io.lrnn.server.config.LrnnProperties;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The {@code db} health component (the bean name replaces Spring Boot's own, which would query
 * the database on the request thread): a thread of its own checks a pooled connection every
 * {@code lrnn.store.health-interval}, and a health request only reads the last result, so it
 * never waits on the database. A check that has not come back for much longer than expected
 * (a hung connection) counts as DOWN. Readiness does not include it: predict runs from memory.
 */
@Component("dbHealthIndicator")
class StoreHealthIndicator implements HealthIndicator, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreHealthIndicator.class);

    /** One completed check. */
    record Check(boolean up, Instant at, Duration took, String database, String error) {
    }

    private final DataSource dataSource;
    private final Duration interval;
    private final Duration staleAfter;
    private final int validationSeconds;
    private final Clock clock;
    private volatile Check last;
    private volatile Instant downSince;
    private volatile String database;
    private ScheduledExecutorService checker;

    StoreHealthIndicator(DataSource dataSource, LrnnProperties properties, Clock clock) {
        this.dataSource = dataSource;
        this.interval = properties.store().healthInterval();
        // A check lasts at most the pool's connection timeout, plus the validation; twice that and a
        // missed round mean the checker itself is stuck on the database.
        this.staleAfter = interval.multipliedBy(2).plus(properties.store().connectionTimeout().multipliedBy(2));
        this.validationSeconds = (int) Math.max(1,
                PoolTimeouts.validationTimeout(properties.store().connectionTimeout()).toSeconds());
        this.clock = clock;
    }

    @Override
    public Health health() {
        Check check = last;
        if (check == null) {
            return Health.unknown().withDetail("checking", "the first check of the database has not finished").build();
        }
        Duration age = Duration.between(check.at(), clock.instant());
        Health.Builder health = check.up() && age.compareTo(staleAfter) <= 0 ? Health.up() : Health.down();
        if (check.database() != null) {
            health.withDetail("database", check.database());
        }
        health.withDetail("checkedAt", check.at().toString()).withDetail("checkMillis", check.took().toMillis());
        if (check.error() != null) {
            health.withDetail("error", check.error());
        } else if (age.compareTo(staleAfter) > 0) {
            health.withDetail("error", "no answer from the database for " + age.toSeconds() + " s");
        }
        Instant since = downSince;
        if (since != null) {
            health.withDetail("downSince", since.toString());
        }
        return health.build();
    }

    /** Runs one check now, on the caller's thread (the scheduled thread, or a test). */
    Check check() {
        Instant start = clock.instant();
        long began = System.nanoTime();
        Check check;
        try (Connection connection = dataSource.getConnection()) {
            if (database == null) {
                database = connection.getMetaData().getDatabaseProductName();
            }
            check = connection.isValid(validationSeconds)
                    ? new Check(true, start, Duration.ofNanos(System.nanoTime() - began), database, null)
                    : new Check(false, start, Duration.ofNanos(System.nanoTime() - began), database,
                            "the connection did not validate");
        } catch (Exception e) {
            check = new Check(false, start, Duration.ofNanos(System.nanoTime() - began), database, e.toString());
        }
        record(check);
        return check;
    }

    private void record(Check check) {
        Check previous = last;
        last = check;
        if (!check.up() && downSince == null) {
            downSince = check.at();
            log.warn("Database unreachable: {} (jobs, data sets and model changes answer 503; predict goes on)",
                    check.error());
        } else if (check.up() && downSince != null) {
            log.info("Database reachable again after {} s", Duration.between(downSince, check.at()).toSeconds());
            downSince = null;
        } else if (previous == null && check.up()) {
            log.debug("Database {} reachable", check.database());
        }
    }

    @Override
    public synchronized void start() {
        if (checker != null) {
            return;
        }
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lrnn-store-health");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker != null) {
            checker.shutdownNow();
            checker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return checker != null;
    }
}
