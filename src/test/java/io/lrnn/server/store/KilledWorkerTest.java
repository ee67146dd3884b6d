package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.runningWithProgress;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.LrnnServeApplication;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.jobs.JobsAccess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
    static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

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
            HttpTestClient dying = new HttpTestClient(awaitPort(worker, log, Duration.ofSeconds(90)));
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
            throw new AssertionError(e.getMessage() + "\n--- worker process log (tail) ---\n" + tail(log), e);
        } finally {
            worker.destroyForcibly();
            if (survivorApp != null) {
                survivorApp.close();
            }
        }
    }

    /** The application in a JVM of its own, on the test schema, with one job worker and a short lease. */
    private static Process startWorkerProcess(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only: starts in about half the time; that it trains slower only keeps the job running longer.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp",
                applicationClasspath(), LrnnServeApplication.class.getName(), "--server.port=0"));
        command.addAll(StoreScenarios.replicaArguments(DB, emptyModels, 1, LEASE));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Never outlive the tests, even if this JVM is stopped before @AfterAll.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** The test JVM's classpath without the test classes and resources: the application and its libraries. */
    private static String applicationClasspath() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        List<String> kept = Arrays.stream(entries).filter(e -> !Path.of(e).endsWith(Path.of("target", "test-classes")))
                .toList();
        assertThat(kept).as("the test classpath lists target/classes (surefire sets java.class.path)")
                .anyMatch(e -> Path.of(e).endsWith(Path.of("target", "classes")));
        return String.join(File.pathSeparator, kept);
    }

    private static int awaitPort(Process process, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher port = PORT.matcher(Files.readString(log));
            if (port.find()) {
                // The port opens before start-up finishes (models load after it); wait for readiness.
                HttpTestClient client = new HttpTestClient(Integer.parseInt(port.group(1)));
                StoreScenarios.await("the worker process is ready", Duration.ofNanos(deadline - System.nanoTime()),
                        () -> ready(client), ready -> ready);
                return client.port();
            }
            assertThat(process.isAlive()).as("the worker process runs").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the worker process did not open its port within " + timeout);
    }

    private static boolean ready(HttpTestClient client) {
        try {
            return client.get("/readyz").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** SIGKILL (destroyForcibly on Linux), then makes sure the process is gone. */
    private static void kill(Process process) throws InterruptedException {
        long pid = process.pid();
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the worker process died").isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
