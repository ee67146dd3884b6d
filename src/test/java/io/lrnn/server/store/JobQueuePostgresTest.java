package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobContext;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.jobs.JobState;
import io.lrnn.server.jobs.JobsAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

/**
 * The job queue's SQL on a real PostgreSQL: Flyway's schema, atomic claims under contention
 * ({@code FOR UPDATE SKIP LOCKED}), leases kept by heartbeat and reaped when they expire, updates
 * guarded by the lease, cancellation, and idempotency keys under concurrent submits. Leases run
 * on the database's clock; a test expires one by moving its end into the past, so nothing here
 * sleeps for a lease to expire.
 */
class JobQueuePostgresTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Duration LEASE = Duration.ofSeconds(30);
    static final int MAX_ATTEMPTS = 3;
    static final int THREADS = 8;

    static DataSource dataSource;
    static JdbcClient jdbc;
    static JobQueue queue;
    static ExecutorService pool;

    @BeforeAll
    static void migrate() {
        dataSource = DB.dataSource(THREADS * 2 + 2);
        Flyway flyway = Flyway.configure().dataSource(dataSource).load();
        MigrateResult migrated = flyway.migrate();
        assertThat(migrated.success).isTrue();
        assertThat(migrated.migrationsExecuted).as("every migration ran on the fresh schema").isPositive()
                .isEqualTo(flyway.info().all().length);
        jdbc = JdbcClient.create(dataSource);
        queue = JobsAccess.queue(dataSource, properties(1, LEASE, Duration.ofSeconds(5), Duration.ofSeconds(1)));
        pool = Executors.newFixedThreadPool(THREADS * 2);
    }

    @AfterAll
    static void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @BeforeEach
    void emptyQueue() {
        jdbc.sql("DELETE FROM training_jobs").update();
    }

    @Test
    void flywayCreatesTheStoreInTheTestSchemaAndMigratesOnlyOnce() {
        List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                + "ORDER BY table_name").param(DB.schema()).query(String.class).list();
        assertThat(tables).containsExactly("datasets", "flyway_schema_history", "model_defaults", "model_labels",
                "model_traffic", "model_versions", "training_jobs");
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).containsExactly("1", "2", "3");
        assertThat(jdbc.sql("SELECT data_type FROM information_schema.columns WHERE table_schema = ? "
                        + "AND table_name = 'training_jobs' AND column_name = 'request_digest'")
                .param(DB.schema()).query(String.class).single()).isEqualTo("character varying");
        assertThat(jdbc.sql("SELECT data_type FROM information_schema.columns WHERE table_schema = ? "
                        + "AND table_name = 'training_jobs' AND column_name = 'lease_expires_at'")
                .param(DB.schema()).query(String.class).single()).isEqualTo("timestamp with time zone");
        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().migrationsExecuted).isZero();
    }

    @Test
    void concurrentClaimsTakeEveryJobExactlyOnce() throws Exception {
        int count = 40;
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            submitted.add(submit(null).id());
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ConcurrentLinkedQueue<Job> claimed = new ConcurrentLinkedQueue<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            String owner = "worker-" + w;
            workers.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                // SKIP LOCKED may answer "nothing" while others hold the rest; stop once nothing is queued.
                while (JobsAccess.count(queue, JobState.QUEUED) > 0) {
                    JobsAccess.claim(queue, owner).ifPresent(claimed::add);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        List<String> ids = claimed.stream().map(Job::id).toList();
        assertThat(ids).hasSize(count).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
        for (Job job : claimed) {
            Job stored = find(job.id());
            assertThat(stored.state()).isEqualTo(JobState.RUNNING);
            assertThat(stored.attempt()).isEqualTo(1);
            assertThat(stored.leaseOwner()).isEqualTo(job.leaseOwner());
            assertThat(stored.leaseExpiresAt()).isEqualTo(job.leaseExpiresAt());
        }
        assertThat(claimed.stream().map(Job::leaseOwner).distinct().count())
                .as("claims spread over several workers").isGreaterThan(1);
    }

    @Test
    void claimTakesTheOldestQueuedJobAndNothingWhenTheQueueIsEmpty() {
        Job first = submit(null);
        Job second = submit(null);
        assertThat(JobsAccess.claim(queue, "a").orElseThrow().id()).isEqualTo(first.id());
        assertThat(JobsAccess.claim(queue, "b").orElseThrow().id()).isEqualTo(second.id());
        assertThat(JobsAccess.claim(queue, "c")).isEmpty();
    }

    @Test
    void leasesEndALeaseAfterTheDatabasesNow() {
        Instant before = databaseNow();
        Job job = claimOne(submit(null), "a");
        Instant after = databaseNow();
        assertThat(job.leaseExpiresAt()).isBetween(before.plus(LEASE), after.plus(LEASE));
        assertThat(job.startedAt()).isBetween(before, after);
    }

    @Test
    void aLeaseRenewedByHeartbeatIsKeptPastItsFirstExpiry() {
        Job job = claimOne(submit(null), "a");
        // About to end: a renewal moves the end a whole lease past the database's now.
        jdbc.sql("UPDATE training_jobs SET lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' SECOND WHERE id = ?")
                .param(job.id()).update();
        Instant before = databaseNow();
        assertThat(JobsAccess.renewLease(queue, job.id(), "a")).isTrue();
        Instant after = databaseNow();
        assertThat(JobsAccess.reapExpired(queue)).containsExactly(0, 0, 0);
        Job kept = find(job.id());
        assertThat(kept.state()).isEqualTo(JobState.RUNNING);
        assertThat(kept.leaseOwner()).isEqualTo("a");
        assertThat(kept.attempt()).isEqualTo(1);
        assertThat(kept.leaseExpiresAt()).isBetween(before.plus(LEASE), after.plus(LEASE));
    }

    @Test
    void anExpiredLeaseIsRequeuedCountingTheAttemptAndFailsAfterMaxAttempts() {
        Job job = submit(null);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Job claimed = claimOne(job, "worker-" + attempt);
            assertThat(claimed.attempt()).isEqualTo(attempt);
            assertThat(JobsAccess.reapExpired(queue)).as("lease not yet expired").containsExactly(0, 0, 0);
            expire(job.id());
            Job reaped = find(job.id());
            assertThat(reaped.state()).isEqualTo(JobState.RUNNING);
            int[] counts = JobsAccess.reapExpired(queue);
            reaped = find(job.id());
            assertThat(reaped.leaseOwner()).isNull();
            assertThat(reaped.leaseExpiresAt()).isNull();
            assertThat(reaped.attempt()).isEqualTo(attempt);
            if (attempt < MAX_ATTEMPTS) {
                assertThat(counts).containsExactly(1, 0, 0);
                assertThat(reaped.state()).isEqualTo(JobState.QUEUED);
            } else {
                assertThat(counts).containsExactly(0, 1, 0);
                assertThat(reaped.state()).isEqualTo(JobState.FAILED);
                assertThat(reaped.error()).contains("lease expired").contains(MAX_ATTEMPTS + " attempts");
                assertThat(reaped.finishedAt()).isBetween(reaped.startedAt(), databaseNow());
            }
        }
        assertThat(JobsAccess.claim(queue, "late")).isEmpty();
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCanNoLongerChangeTheJob() {
        Job job = claimOne(submit(null), "old");
        expire(job.id());
        assertThat(JobsAccess.reapExpired(queue)).containsExactly(1, 0, 0);
        Job taken = claimOne(job, "new");
        assertThat(taken.attempt()).isEqualTo(2);

        assertThat(JobsAccess.renewLease(queue, job.id(), "old")).isFalse();
        assertThat(JobsAccess.saveProgress(queue, job.id(), "old", "{\"step\":1}", "[]")).isFalse();
        assertThat(JobsAccess.finish(queue, job.id(), "old", JobState.SUCCEEDED, "1", null)).isFalse();
        assertThat(JobsAccess.finish(queue, job.id(), "old", JobState.FAILED, null, "x")).isFalse();
        assertThat(JobsAccess.release(queue, job.id(), "old")).isFalse();
        Job unchanged = find(job.id());
        assertThat(unchanged).isEqualTo(taken);

        assertThat(JobsAccess.renewLease(queue, job.id(), "new")).isTrue();
        assertThat(JobsAccess.saveProgress(queue, job.id(), "new", "{\"step\":2}", "[]")).isTrue();
        assertThat(JobsAccess.finish(queue, job.id(), "new", JobState.SUCCEEDED, "1", null)).isTrue();
        Job done = find(job.id());
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.progress()).isEqualTo("{\"step\":2}");
        assertThat(done.resultVersion()).isEqualTo("1");
        assertThat(done.leaseOwner()).isNull();
        assertThat(JobsAccess.renewLease(queue, job.id(), "new")).as("a finished job holds no lease").isFalse();
    }

    @Test
    void releaseOnShutdownRequeuesWithoutCountingTheAttempt() {
        Job job = claimOne(submit(null), "stopping");
        assertThat(JobsAccess.release(queue, job.id(), "stopping")).isTrue();
        Job released = find(job.id());
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempt()).isZero();
        assertThat(released.leaseOwner()).isNull();
        assertThat(claimOne(job, "other").attempt()).isEqualTo(1);
    }

    @Test
    void cancellingAQueuedJobIsImmediateAndItIsNeverClaimed() {
        Job job = submit(null);
        Job cancelled = queue.cancel(job.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(JobsAccess.claim(queue, "a")).isEmpty();
        assertThat(queue.cancel(job.id())).as("cancelling again changes nothing").isEqualTo(cancelled);
    }

    @Test
    void cancellingARunningJobAsksItsWorkerToStop() {
        Job job = claimOne(submit(null), "a");
        Job asked = queue.cancel(job.id());
        assertThat(asked.state()).isEqualTo(JobState.RUNNING);
        assertThat(asked.cancelRequested()).isTrue();
        assertThat(JobsAccess.finish(queue, job.id(), "a", JobState.CANCELLED, null, null)).isTrue();
        assertThat(find(job.id()).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aCancelledJobWhoseWorkerDiedIsCancelledNotRequeuedAndDoesNotBlockTheQueue() {
        Job doomed = claimOne(submit(null), "dies");
        Job next = submit(null);
        queue.cancel(doomed.id());
        expire(doomed.id());
        assertThat(JobsAccess.reapExpired(queue)).containsExactly(0, 0, 1);
        Job reaped = find(doomed.id());
        assertThat(reaped.state()).isEqualTo(JobState.CANCELLED);
        assertThat(reaped.leaseOwner()).isNull();
        assertThat(reaped.finishedAt()).isNotNull();
        assertThat(JobsAccess.claim(queue, "b").map(Job::id)).contains(next.id());
    }

    @Test
    void aCancelledJobReleasedAtShutdownIsCancelledNotRequeued() {
        Job doomed = claimOne(submit(null), "stopping");
        Job next = submit(null);
        queue.cancel(doomed.id());
        assertThat(JobsAccess.release(queue, doomed.id(), "stopping")).isTrue();
        assertThat(find(doomed.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(JobsAccess.claim(queue, "b").map(Job::id)).contains(next.id());
    }

    @Test
    void aCancelRacingWithAReleaseIsNeverLost() throws Exception {
        for (int round = 0; round < 30; round++) {
            Job job = claimOne(submit(null), "stopping");
            CyclicBarrier start = new CyclicBarrier(2);
            Future<Job> cancel = pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return queue.cancel(job.id());
            });
            Future<Boolean> release = pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return JobsAccess.release(queue, job.id(), "stopping");
            });
            assertThat(release.get(30, TimeUnit.SECONDS)).isTrue();
            cancel.get(30, TimeUnit.SECONDS);
            Job after = find(job.id());
            assertThat(after.state()).as("round %d", round).isEqualTo(JobState.CANCELLED);
            assertThat(after.finishedAt()).isNotNull();
        }
    }

    @Test
    void concurrentSubmitsWithOneIdempotencyKeyCreateOneJob() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = "key-" + round;
            List<JobQueue.Submitted> results = concurrently(THREADS * 2, () -> queue.submit("m", null, "{}", key, "sha256:same"));
            assertThat(results.stream().map(s -> s.job().id()).distinct()).hasSize(1);
            assertThat(results.stream().filter(JobQueue.Submitted::created)).hasSize(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE idempotency_key = ?").param(key)
                    .query(Long.class).single()).isEqualTo(1);
        }
        List<JobQueue.Submitted> unkeyed = concurrently(THREADS * 2, () -> queue.submit("m", null, "{}", null, null));
        assertThat(unkeyed).allMatch(JobQueue.Submitted::created);
        assertThat(unkeyed.stream().map(s -> s.job().id()).distinct()).hasSize(THREADS * 2);
        assertThat(JobsAccess.count(queue, JobState.QUEUED)).isEqualTo(5 + THREADS * 2);
    }

    @Test
    void aWorkerThatLosesItsLeaseStopsAndCannotStoreItsResult() throws Exception {
        // The real workers, with a handler that runs until told to stop and then tries to succeed.
        AtomicReference<String> claimedId = new AtomicReference<>();
        AtomicReference<JobContext.StopReason> stopped = new AtomicReference<>();
        AtomicReference<Boolean> succeeded = new AtomicReference<>();
        AtomicBoolean wroteResult = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        LrnnProperties fast = properties(1, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(50));
        JobQueue realTime = JobsAccess.queue(dataSource, fast);
        Job job = realTime.submit("m", null, "{}", null, null).job();
        SmartLifecycle workers = JobsAccess.workers(realTime, (claimed, context) -> {
            claimedId.set(claimed.id());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (context.stopReason() == JobContext.StopReason.NONE && System.nanoTime() < deadline) {
                context.progress("{\"step\":1}", "[]");
                Thread.sleep(20);
            }
            stopped.set(context.stopReason());
            succeeded.set(context.succeed(() -> "1", version -> wroteResult.set(true)));
            done.countDown();
            throw new IllegalStateException("stopped");
        });
        workers.start();
        try {
            awaitState(job.id(), JobState.RUNNING, Duration.ofSeconds(10));
            // Another replica takes the job over (as after a reap and a claim).
            jdbc.sql("UPDATE training_jobs SET lease_owner = 'usurper', attempt = 2, lease_expires_at = :until "
                    + "WHERE id = :id").param("until", Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC))
                    .param("id", job.id()).update();
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            workers.stop();
        }
        assertThat(claimedId.get()).isEqualTo(job.id());
        assertThat(stopped.get()).isEqualTo(JobContext.StopReason.LEASE_LOST);
        assertThat(succeeded.get()).isFalse();
        assertThat(wroteResult.get()).as("the result is not written for a lost job").isFalse();
        Job after = find(job.id());
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(after.leaseOwner()).isEqualTo("usurper");
        assertThat(after.error()).isNull();
    }

    @Test
    void workersWithoutWorkerThreadsStillStopTheirHeartbeat() {
        LrnnProperties none = properties(0, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(50));
        SmartLifecycle workers = JobsAccess.workers(JobsAccess.queue(dataSource, none), (job, context) -> { });
        workers.start();
        try {
            assertThat(workers.isRunning()).as("running, so Spring calls stop() and the heartbeat ends").isTrue();
        } finally {
            workers.stop();
        }
        assertThat(workers.isRunning()).isFalse();
    }

    private static Job find(String id) {
        return JobsAccess.find(queue, id).orElseThrow();
    }

    /** Ends the job's lease a second ago, as if its heartbeat had stopped a lease ago. */
    private static void expire(String id) {
        assertThat(jdbc.sql("UPDATE training_jobs SET lease_expires_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND "
                + "WHERE id = ? AND state = 'RUNNING'").param(id).update()).isEqualTo(1);
    }

    private static Instant databaseNow() {
        return jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single().toInstant();
    }

    private static Job submit(String key) {
        return queue.submit("m", null, "{}", key, "sha256:same").job();
    }

    private static Job claimOne(Job expected, String owner) {
        Optional<Job> claimed = JobsAccess.claim(queue, owner);
        assertThat(claimed).isPresent();
        assertThat(claimed.get().id()).isEqualTo(expected.id());
        assertThat(claimed.get().leaseOwner()).isEqualTo(owner);
        return claimed.get();
    }

    private static void awaitState(String id, JobState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (find(id).state() != state) {
            assertThat(System.nanoTime()).as("job %s reaches %s within %s", id, state, timeout).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static <T> List<T> concurrently(int threads, Callable<T> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return call.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    static LrnnProperties properties(int workers, Duration lease, Duration heartbeat, Duration poll) {
        return TestProperties.of(new LrnnProperties.Jobs(workers, 1, 1000, MAX_ATTEMPTS, lease, heartbeat, poll, Duration.ofSeconds(30)));
    }
}
