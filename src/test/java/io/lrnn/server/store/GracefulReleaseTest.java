package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.runningWithProgress;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.jobs.JobQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A replica that shuts down (a rolling update, a scale-down) hands its running job back: the job
 * is QUEUED again at once, without using up an attempt, and the other replica finishes it. The
 * lease is long, so only the release, not an expiry, can explain a quick hand-over.
 */
class GracefulReleaseTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Duration LEASE = Duration.ofSeconds(60);
    /** About 4 s of training (16 000 steps). */
    static final int EPOCHS = 2000;

    @TempDir
    static Path emptyModels;

    static BackgroundApplication first;
    static BackgroundApplication second;

    @AfterAll
    static void stop() {
        for (BackgroundApplication app : new BackgroundApplication[] {first, second}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void aReplicaThatStopsHandsItsRunningJobToAnother() throws Exception {
        first = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 1, LEASE));
        second = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 1, LEASE));
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> ready(first)),
                CompletableFuture.runAsync(() -> ready(second))).join();
        DataSource dataSource = DB.dataSource(2);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        HttpTestClient client = new HttpTestClient(first.port());
        String id = submit(client, "handed-over", EPOCHS);
        try (JobObserver observer = new JobObserver(dataSource, id)) {
            awaitJob(client, id, "running with progress", Duration.ofSeconds(30), runningWithProgress());
            // Both replicas have a free worker: stop whichever took the job.
            String holder = jdbc.sql("SELECT lease_owner FROM training_jobs WHERE id = ?").param(id)
                    .query(String.class).single();
            String firstOwner = first.context().getBean(JobQueue.class).replicaId();
            String secondOwner = second.context().getBean(JobQueue.class).replicaId();
            String holderReplica = JobObserver.replicaOf(holder);
            assertThat(holderReplica).isIn(firstOwner, secondOwner);
            BackgroundApplication stopping = holderReplica.equals(firstOwner) ? first : second;
            BackgroundApplication staying = stopping == first ? second : first;
            String stayingOwner = stopping == first ? secondOwner : firstOwner;

            long closing = System.nanoTime();
            stopping.context().close();
            Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
            JsonNode afterClose = StoreScenarios.job(new HttpTestClient(staying.port()), id);
            assertThat(afterClose.get("attempt").asInt()).as("released without counting the attempt: %s", afterClose)
                    .isIn(0, 1);
            assertThat(afterClose.get("state").asString()).isIn("QUEUED", "RUNNING");

            HttpTestClient survivor = new HttpTestClient(staying.port());
            JsonNode done = awaitJob(survivor, id, "finished by the other replica", Duration.ofSeconds(60),
                    inState("SUCCEEDED"));
            assertThat(done.get("attempt").asInt()).as("the release did not use up an attempt").isEqualTo(1);
            assertThat(closeTook).as("the stopping replica did not wait for the job to end").isLessThan(LEASE);
            observer.close();
            // (The QUEUED moment in between can be too short for the observer to see.)
            assertThat(observer.replicaHoldings().stream().filter(h -> !h.startsWith("QUEUED")))
                    .as("who held the job, in order: %s", observer.holdings())
                    .containsExactly("RUNNING#1@" + holderReplica, "RUNNING#1@" + stayingOwner, "SUCCEEDED#1");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = 'handed-over'").query(Long.class)
                    .single()).isEqualTo(1);
            assertThat(survivor.postJson("/api/v1/models/handed-over/predict", "{\"instances\": [[0.2, 0.4]]}")
                    .status()).isEqualTo(200);
        }
    }

    private static void ready(BackgroundApplication app) {
        try {
            app.context();
        } catch (Exception e) {
            throw new IllegalStateException("a replica did not start", e);
        }
    }
}
