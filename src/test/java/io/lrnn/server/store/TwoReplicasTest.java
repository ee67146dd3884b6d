package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.await;
import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.job;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.TestModels;
import io.lrnn.server.jobs.JobQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the application on one PostgreSQL schema, as on Kubernetes: {@code trainer}
 * runs one job worker, {@code server} none. What one replica accepts the other shows, cancels and
 * serves: jobs, trained and uploaded model versions, default versions and deletes.
 */
class TwoReplicasTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    /** How long a replica may take to pick up another's change (the registry syncs every 300 ms). */
    static final Duration SYNC = Duration.ofSeconds(5);

    @TempDir
    static Path emptyModels;

    static BackgroundApplication trainerApp;
    static BackgroundApplication serverApp;
    static HttpTestClient trainer;
    static HttpTestClient server;
    static JdbcClient jdbc;

    @BeforeAll
    static void startReplicas() throws Exception {
        // Both start at once on the empty schema: Flyway's lock lets one migrate, the other wait.
        trainerApp = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 1, Duration.ofSeconds(5)));
        serverApp = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 0, Duration.ofSeconds(5)));
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> ready(trainerApp)),
                CompletableFuture.runAsync(() -> ready(serverApp))).join();
        trainer = new HttpTestClient(trainerApp.port());
        server = new HttpTestClient(serverApp.port());
        jdbc = JdbcClient.create(DB.dataSource(2));
    }

    @AfterAll
    static void stopReplicas() {
        for (BackgroundApplication app : new BackgroundApplication[] {trainerApp, serverApp}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void bothReplicasMigratedOneSchemaOnce() {
        // Each migration applied exactly once although both replicas started at the same time.
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).containsExactly("1", "2", "3");
        assertThat(trainer.get("/readyz").status()).isEqualTo(200);
        assertThat(server.get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void aJobSubmittedToOneReplicaIsShownAndCancelledByTheOther() throws Exception {
        String replica = bean(trainerApp, JobQueue.class).replicaId();
        String longJob = submit(server, "cancel-long", 100_000);
        assertThat(job(trainer, longJob).get("modelName").asString()).isEqualTo("cancel-long");
        awaitJob(server, longJob, "the trainer replica runs it", Duration.ofSeconds(20), inState("RUNNING"));
        assertThat(JobObserver.replicaOf(leaseOwner(longJob))).isEqualTo(replica);

        // The trainer's one worker is busy, and the server has none: this job waits.
        String queued = submit(server, "cancel-queued", 10);
        JsonNode waiting = job(trainer, queued);
        assertThat(waiting.get("state").asString()).isEqualTo("QUEUED");
        assertThat(waiting.get("queuePosition").asLong()).isEqualTo(1);
        HttpTestClient.Response cancelled = trainer.postJson("/api/v1/training-jobs/" + queued + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
        assertThat(cancelled.body().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(job(server, queued).get("state").asString()).isEqualTo("CANCELLED");

        // The running one is asked to stop through the server; the trainer's heartbeat notices.
        HttpTestClient.Response asked = server.postJson("/api/v1/training-jobs/" + longJob + "/cancel", "");
        assertThat(asked.status()).as(asked.raw()).isEqualTo(200);
        assertThat(asked.body().get("cancelRequested").asBoolean()).isTrue();
        JsonNode stopped = awaitJob(trainer, longJob, "cancelled", Duration.ofSeconds(10), inState("CANCELLED"));
        assertThat(stopped.hasNonNull("result")).isFalse();
        assertThat(job(server, longJob).get("state").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name LIKE 'cancel-%'").query(Long.class)
                .single()).isZero();
    }

    @Test
    void aModelTrainedOnOneReplicaIsServedByTheOther() throws Exception {
        String id = submit(server, "trained", 30);
        JsonNode done = awaitJob(server, id, "trained", Duration.ofSeconds(60), inState("SUCCEEDED"));
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("result").get("version").asString()).isEqualTo("1");
        String body = "{\"instances\": [[0.1, -0.2], [0.5, 0.5]]}";
        HttpTestClient.Response served = await("the server replica serves trained/1", SYNC,
                () -> server.postJson("/api/v1/models/trained/versions/1/predict", body), r -> r.status() == 200);
        HttpTestClient.Response original = trainer.postJson("/api/v1/models/trained/versions/1/predict", body);
        assertThat(original.status()).isEqualTo(200);
        assertThat(served.body().get("predictions")).isEqualTo(original.body().get("predictions"));
        assertThat(server.postJson("/api/v1/models/trained/predict", body).body().get("version").asString())
                .isEqualTo("1");
    }

    @Test
    void uploadsDefaultVersionsAndDeletesOnOneReplicaReachTheOther() throws Exception {
        Model first = TestModels.regression(1);
        Model second = TestModels.regression(2);
        assertThat(upload(trainer, "shared", "1", first).status()).isEqualTo(201);
        String body = "{\"instances\": [[0.1, 0.2, 0.3]]}";
        HttpTestClient.Response served = await("the server replica serves shared/1", SYNC,
                () -> server.postJson("/api/v1/models/shared/versions/1/predict", body), r -> r.status() == 200);
        assertThat(served.body().get("predictions"))
                .isEqualTo(trainer.postJson("/api/v1/models/shared/versions/1/predict", body).body().get("predictions"));

        assertThat(upload(server, "shared", "2", second).status()).isEqualTo(201);
        await("the trainer replica has shared/2", SYNC, () -> model(trainer, "shared"),
                m -> m.get("versions").size() == 2);
        assertThat(model(trainer, "shared").get("defaultVersion").asString())
                .isEqualTo(model(server, "shared").get("defaultVersion").asString()).isEqualTo("2");
        HttpTestClient.Response conflict = upload(trainer, "shared", "2", second);
        assertThat(conflict.status()).as("a version uploaded elsewhere exists here too").isEqualTo(409);

        HttpTestClient.Response pinned = trainer.putJson("/api/v1/models/shared/default-version", "{\"version\": \"1\"}");
        assertThat(pinned.status()).as(pinned.raw()).isEqualTo(200);
        await("the server replica's default is 1", SYNC, () -> model(server, "shared"),
                m -> m.get("defaultVersion").asString().equals("1"));
        assertThat(server.postJson("/api/v1/models/shared/predict", body).body().get("version").asString())
                .isEqualTo("1");

        assertThat(server.delete("/api/v1/models/shared/versions/2").status()).isEqualTo(204);
        await("the trainer replica dropped shared/2", SYNC, () -> trainer.get("/api/v1/models/shared/versions/2"),
                r -> r.status() == 404);
        assertThat(model(trainer, "shared").get("defaultVersion").asString()).isEqualTo("1");
    }

    private static HttpTestClient.Response upload(HttpTestClient client, String name, String version, Model model) {
        return client.putMultipart("/api/v1/models/" + name + "/versions/" + version,
                Map.of("model", TestModels.json(model), "weights", TestModels.weights(model)));
    }

    private static JsonNode model(HttpTestClient client, String name) {
        HttpTestClient.Response response = client.get("/api/v1/models/" + name);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static String leaseOwner(String id) {
        return jdbc.sql("SELECT lease_owner FROM training_jobs WHERE id = ?").param(id).query(String.class).single();
    }

    private static void ready(BackgroundApplication app) {
        try {
            app.context();
        } catch (Exception e) {
            throw new IllegalStateException("a replica did not start", e);
        }
    }

    static <T> T bean(BackgroundApplication app, Class<T> type) throws Exception {
        return app.context().getBean(type);
    }
}
