package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.runningWithProgress;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.jobs.JobsAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A replica dies mid-job: a separate JVM runs the application and a training job, and is killed
 * with SIGKILL while the job runs. Its lease holds while it lives (longer than a lease) and for a
 * lease after its death; then a second replica re-queues the job, runs it again as attempt 2 and
 * stores exactly one model version. No two replicas ever hold the job together.
 */
class KilledWorkerTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Duration LEASE = Duration.ofSeconds(3);
    /**
     * 60 000 steps of 32 rows: about 15 s for the survivor on one core of this machine, and longer
     * for the dying replica (C1 only), which must still be training a lease after its first
     * progress report (a third of this was once not enough on a quiet machine).
     */
    static final int EPOCHS = 7500;

    @TempDir
    static Path emptyModels;

    static Process worker;

    @AfterAll
    static void killWorker() {
        if (worker != null) {
            worker.destroyForcibly();
        }
    }

    @Test
    void aJobOfAKilledReplicaIsRunAgainByAnotherAfterItsLeaseExpires() throws Exception {
        DataSource dataSource = DB.dataSource(2);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        Path log = Files.createTempFile("lrnn-killed-worker", ".log");
        log.toFile().deleteOnExit();
        worker = startWorkerProcess(log);
        BackgroundApplication survivorApp = null;
        try {
            HttpTestClient dying = new HttpTestClient(ServerProcess.awaitReady(worker, log, Duration.ofSeconds(90)));
            String id = submit(dying, "phoenix", EPOCHS);
            try (JobObserver observer = new JobObserver(dataSource, id)) {
                awaitJob(dying, id, "running with progress on the worker process", Duration.ofSeconds(30),
                        runningWithProgress());
                String dyingOwner = jdbc.sql("SELECT lease_owner FROM training_jobs WHERE id = ?").param(id)
                        .query(String.class).single();
                assertThat(dyingOwner).startsWith(worker.pid() + "@");

                // While the replica lives, its heartbeat keeps the lease: a reaper on the real clock (as
                // every replica runs) leaves the job alone for longer than a lease.
                JobQueue reaper = JobsAccess.queue(dataSource,
                        JobQueuePostgresTest.properties(0, LEASE, Duration.ofMillis(300), Duration.ofMillis(200)));
                long watchUntil = System.nanoTime() + LEASE.plusMillis(500).toNanos();
                while (System.nanoTime() < watchUntil) {
                    assertThat(JobsAccess.reapExpired(reaper)).as("nothing to reap while the owner lives")
                            .containsExactly(0, 0, 0);
                    Thread.sleep(100);
                }
                JsonNode beforeKill = StoreScenarios.job(dying, id);
                assertThat(beforeKill.get("state").asString()).as("still training after a lease; make the job "
                        + "longer (EPOCHS) if this fails").isEqualTo("RUNNING");
                assertThat(beforeKill.get("attempt").asInt()).isEqualTo(1);

                long killedAt = System.nanoTime();
                kill(worker);
                assertThat(JobsAccess.reapExpired(reaper)).as("the lease of the dead replica still runs")
                        .containsExactly(0, 0, 0);

                // A second replica with a free worker: it re-queues the job once the lease expired, and runs it.
                survivorApp = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 1, LEASE));
                String survivorReplica = survivorApp.context().getBean(JobQueue.class).replicaId();
                HttpTestClient survivor = new HttpTestClient(survivorApp.port());
                JsonNode done = awaitJob(survivor, id, "run again and succeeded on the survivor",
                        Duration.ofSeconds(90), inState("SUCCEEDED"));
                assertThat(done.get("attempt").asInt()).isEqualTo(2);
                assertThat(done.get("result").get("version").asString()).isEqualTo("1");
                assertThat(done.hasNonNull("error")).isFalse();

                observer.close();
                // QUEUED moments can be too short for the observer to see; who held the job is not.
                assertThat(observer.replicaHoldings().stream().filter(h -> !h.startsWith("QUEUED")))
                        .as("who held the job, in order: %s", observer.holdings())
                        .containsExactly("RUNNING#1@" + JobObserver.replicaOf(dyingOwner),
                                "RUNNING#2@" + survivorReplica, "SUCCEEDED#2");
                List<JobObserver.Sample> samples = observer.samples();
                int lastHeld = 0;
                for (int i = 0; i < samples.size(); i++) {
                    if (dyingOwner.equals(samples.get(i).owner())) {
                        lastHeld = i;
                    }
                }
                JobObserver.Sample lastLease = samples.get(lastHeld);
                JobObserver.Sample handedOver = samples.get(lastHeld + 1);
                JobObserver.Sample retaken = samples.stream().filter(s -> s.attempt() == 2).findFirst().orElseThrow();
                assertThat(handedOver.seenAt()).as("the job left the dead replica only after the kill")
                        .isGreaterThan(killedAt);
                assertThat(retaken.startedAt()).as("attempt 2 began after attempt 1's lease ended")
                        .isAfter(lastLease.leaseExpiresAt());
                assertThat(handedOver.seenAt()).as("left in place for its lease after the kill")
                        .isGreaterThan(killedAt + LEASE.minusMillis(500).toNanos());
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = 'phoenix'").query(Long.class)
                    .single()).as("exactly one model version").isEqualTo(1);
            assertThat(jdbc.sql("SELECT job_id FROM model_versions WHERE name = 'phoenix'").query(String.class)
                    .single()).isEqualTo(id);
            HttpTestClient survivor = new HttpTestClient(survivorApp.port());
            assertThat(survivor.postJson("/api/v1/models/phoenix/predict", "{\"instances\": [[0.2, 0.4]]}").status())
                    .isEqualTo(200);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- worker process log (tail) ---\n"
                    + ServerProcess.tail(log), e);
        } finally {
            worker.destroyForcibly();
            if (survivorApp != null) {
                survivorApp.close();
            }
        }
    }

    /** The application in a JVM of its own, on the test schema, with one job worker and a short lease. */
    private static Process startWorkerProcess(Path log) throws IOException {
        return ServerProcess.start(Path.of("").toAbsolutePath(), log,
                StoreScenarios.replicaArguments(DB, emptyModels, 1, LEASE));
    }

    /** SIGKILL (destroyForcibly on Linux), then makes sure the process is gone. */
    private static void kill(Process process) throws InterruptedException {
        long pid = process.pid();
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the worker process died").isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
