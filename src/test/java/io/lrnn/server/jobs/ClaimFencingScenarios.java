package io.lrnn.server.jobs;

import static io.lrnn.server.store.JobObserver.replicaOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

/**
 * A job whose run outlives its lease, on real workers and a real database: the replica running
 * it loses the store (a {@link Partition} of its data source) for longer than a lease, so its
 * heartbeat cannot renew; another party reaps the job and a second claim runs it. However the
 * runs are placed (two workers of one replica, two replicas), never do two runs of the job
 * overlap: the concurrent runs are counted and their maximum must be 1, and the first run must
 * have ended before the second began. Subclasses say which database.
 */
abstract class ClaimFencingScenarios {

    /** Long enough that a loaded machine still renews in time; the run stops a heartbeat before it ends. */
    static final Duration LEASE = Duration.ofSeconds(5);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final Duration POLL = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A fresh, migrated database that {@link #dataSource()} connects to (one pool per call). */
    abstract void createDatabase();

    abstract DataSource dataSource();

    final List<SmartLifecycle> started = new ArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final List<Run> runs = new CopyOnWriteArrayList<>();
    JobQueue reaper;

    /** One run of the job as the handler saw it (System.nanoTime). */
    record Run(String claim, int attempt, long startedAt, long endedAt, JobContext.StopReason stop,
               boolean succeeded) {
    }

    @BeforeEach
    void migrate() {
        createDatabase();
        DataSource reaperSource = dataSource();
        Flyway.configure().dataSource(reaperSource).load().migrate();
        JdbcClient.create(reaperSource).sql("DELETE FROM training_jobs").update();
        reaper = JobsAccess.queue(reaperSource, properties(0));
    }

    @AfterEach
    void stopWorkers() {
        started.forEach(SmartLifecycle::stop);
    }

    @Test
    void twoWorkersOfOneReplicaNeverRunAJobTwiceAtOnce() throws Exception {
        Partition store = new Partition(dataSource());
        JobQueue replica = JobsAccess.queue(store, properties(2));
        String id = replica.submit("m", null, "{}", null, null).job().id();
        CountDownLatch firstRunning = new CountDownLatch(1);
        start(replica, handler(firstRunning, null));
        assertThat(firstRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        store.cut();
        awaitReaped(id);
        store.heal();
        Job done = awaitSucceeded(id);

        assertThat(done.attempt()).isEqualTo(2);
        assertNeverTwoAtOnce();
        assertThat(runs.get(0).stop()).as("the first run stopped itself before its lease ended")
                .isEqualTo(JobContext.StopReason.LEASE_LOST);
        assertThat(replicaOf(runs.get(0).claim())).isEqualTo(replicaOf(runs.get(1).claim()))
                .isEqualTo(replica.replicaId());
        assertThat(runs.get(0).claim()).isNotEqualTo(runs.get(1).claim());
    }

    @Test
    void aSecondClaimOnOneReplicaWaitsForARunThatIgnoresItsStop() throws Exception {
        Partition store = new Partition(dataSource());
        JobQueue replica = JobsAccess.queue(store, properties(2));
        String id = replica.submit("m", null, "{}", null, null).job().id();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch letFirstEnd = new CountDownLatch(1);
        start(replica, handler(firstRunning, letFirstEnd));
        assertThat(firstRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        store.cut();
        awaitReaped(id);
        store.heal();
        // The other worker claims the job again while the first run, deaf to its stop, still runs.
        await("claimed again", () -> JobsAccess.find(reaper, id).orElseThrow().attempt() == 2);
        Thread.sleep(HEARTBEAT.toMillis());
        assertThat(runs).as("the second claim has not started a run").isEmpty();
        letFirstEnd.countDown();
        Job done = awaitSucceeded(id);

        assertThat(done.attempt()).isEqualTo(2);
        assertNeverTwoAtOnce();
        assertThat(runs.get(0).succeeded()).as("the stale run could not store a result").isFalse();
        assertThat(done.resultVersion()).isEqualTo("2");
    }

    @Test
    void twoReplicasNeverRunAJobTwiceAtOnce() throws Exception {
        Partition firstStore = new Partition(dataSource());
        JobQueue first = JobsAccess.queue(firstStore, properties(1));
        String id = first.submit("m", null, "{}", null, null).job().id();
        CountDownLatch firstRunning = new CountDownLatch(1);
        JobHandler handler = handler(firstRunning, null);
        start(first, handler);
        assertThat(firstRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        JobQueue second = JobsAccess.queue(dataSource(), properties(1));
        start(second, handler);

        firstStore.cut(); // the second replica's own reaper re-queues the job, and it runs it
        Job done = awaitSucceeded(id);
        firstStore.heal();

        assertThat(done.attempt()).isEqualTo(2);
        assertNeverTwoAtOnce();
        assertThat(runs.get(0).stop()).isEqualTo(JobContext.StopReason.LEASE_LOST);
        assertThat(replicaOf(runs.get(0).claim())).isEqualTo(first.replicaId());
        assertThat(replicaOf(runs.get(1).claim())).isEqualTo(second.replicaId());
    }

    /**
     * Attempt 1 runs until told to stop (or, with {@code deaf}, until the test lets it end, ignoring
     * its stop), then tries to store its result; attempt 2 runs briefly and stores version "2".
     */
    private JobHandler handler(CountDownLatch firstRunning, CountDownLatch deaf) {
        return (job, context) -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            long startedAt = System.nanoTime();
            boolean succeeded = false;
            try {
                if (job.attempt() == 1) {
                    firstRunning.countDown();
                    if (deaf != null) {
                        assertThat(deaf.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    } else {
                        long deadline = System.nanoTime() + WAIT.toNanos();
                        while (context.stopReason() == JobContext.StopReason.NONE && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                    }
                    succeeded = context.succeed(() -> "1", version -> { });
                } else {
                    Thread.sleep(300);
                    succeeded = context.succeed(() -> "2", version -> { });
                }
            } finally {
                concurrent.decrementAndGet();
                runs.add(new Run(job.leaseOwner(), job.attempt(), startedAt, System.nanoTime(),
                        context.stopReason(), succeeded));
            }
            if (!succeeded) {
                throw new IllegalStateException("stopped: " + context.stopReason());
            }
        };
    }

    private void assertNeverTwoAtOnce() throws InterruptedException {
        // A run is recorded after its handler returns, which is after its final commit that the test saw.
        await("both runs were recorded", () -> runs.size() == 2);
        assertThat(maxConcurrent.get()).as("most runs of the job at once: %s", runs).isEqualTo(1);
        assertThat(runs).extracting(Run::attempt).containsExactly(1, 2);
        assertThat(runs.get(1).startedAt()).as("the second run began after the first ended")
                .isGreaterThan(runs.get(0).endedAt());
        assertThat(runs).extracting(Run::succeeded).containsExactly(false, true);
    }

    private void start(JobQueue queue, JobHandler handler) {
        SmartLifecycle workers = JobsAccess.workers(queue, handler);
        started.add(workers);
        workers.start();
    }

    private void awaitReaped(String id) throws InterruptedException {
        await("the job's lease expired and was reaped", () -> JobsAccess.reapExpired(reaper)[0] == 1
                || JobsAccess.find(reaper, id).orElseThrow().attempt() == 2);
    }

    private Job awaitSucceeded(String id) throws InterruptedException {
        await("the job succeeded", () -> JobsAccess.find(reaper, id).orElseThrow().state() == JobState.SUCCEEDED);
        return JobsAccess.find(reaper, id).orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", WAIT, what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static LrnnProperties properties(int workers) {
        return TestProperties.of(new LrnnProperties.Jobs(workers, 1, 100, 3, LEASE, HEARTBEAT, POLL, Duration.ofSeconds(30)));
    }

    /** A replica's way to the store, which the test can cut (new connections fail) and heal. */
    static final class Partition implements DataSource {
        private final DataSource target;
        private volatile boolean cut;

        Partition(DataSource target) {
            this.target = target;
        }

        void cut() {
            cut = true;
        }

        void heal() {
            cut = false;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (cut) {
                throw new SQLTransientConnectionException("the test cut this replica off the store", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return target.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return target.isWrapperFor(type);
        }
    }
}
