package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.TestModels;
import io.lrnn.server.models.ModelNotFoundException;
import io.lrnn.server.models.ModelStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Labels and the traffic split on two replicas of one PostgreSQL schema: what one sets the other
 * resolves alike (the same request id, the same version), a replica started afterwards has them
 * at once, and the version a label names cannot be deleted even by a replica racing the label.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelsAcrossReplicasTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Duration SYNC = TwoReplicasTest.SYNC;
    static final String ROW = "{\"instances\": [[0.1, 0.2, 0.3]]}";

    @TempDir
    static Path emptyModels;

    static BackgroundApplication first;
    static BackgroundApplication second;
    static HttpTestClient one;
    static HttpTestClient two;
    static JdbcClient jdbc;

    @BeforeAll
    static void startReplicas() throws Exception {
        first = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 0, Duration.ofSeconds(5)));
        second = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 0, Duration.ofSeconds(5)));
        one = new HttpTestClient(port(first));
        two = new HttpTestClient(port(second));
        jdbc = JdbcClient.create(DB.dataSource(2));
        for (String version : new String[] {"1", "2", "3"}) {
            Model model = TestModels.regression(50 + Integer.parseInt(version));
            HttpTestClient.Response uploaded = one.putMultipart("/api/v1/models/rep/versions/" + version,
                    Map.of("model", TestModels.json(model), "weights", TestModels.weights(model)));
            assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
        }
        await("the second replica serves rep/1..3", SYNC, () -> two.get("/api/v1/models/rep"),
                r -> r.status() == 200 && r.body().get("versions").size() == 3);
    }

    @AfterAll
    static void stopReplicas() {
        for (BackgroundApplication app : new BackgroundApplication[] {first, second}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    @Order(1)
    void aLabelAndASplitSetOnOneReplicaAreResolvedAlikeByTheOther() throws Exception {
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).contains("3");
        assertThat(one.putJson("/api/v1/models/rep/labels/stable", "{\"version\": \"1\"}").status()).isEqualTo(200);
        await("the second replica resolves stable", SYNC,
                () -> two.postJson("/api/v1/models/rep/versions/stable/predict", ROW), r -> r.status() == 200);
        assertThat(two.postJson("/api/v1/models/rep/predict?label=stable", ROW).body().get("version").asString())
                .isEqualTo("1");

        assertThat(two.putJson("/api/v1/models/rep/labels/canary", "{\"version\": \"2\"}").status()).isEqualTo(200);
        HttpTestClient.Response split = two.putJson("/api/v1/models/rep/traffic",
                "{\"split\": {\"stable\": 50, \"canary\": 50}}");
        assertThat(split.status()).as(split.raw()).isEqualTo(200);
        await("the first replica has the split", SYNC, () -> model(one),
                m -> m.get("traffic").isObject() && m.get("labels").size() == 2);
        assertSameVersionsForSameIds(one, two);

        // Moving a label on one replica moves its share on both.
        assertThat(one.putJson("/api/v1/models/rep/labels/canary", "{\"version\": \"3\"}").status()).isEqualTo(200);
        await("the second replica moved canary", SYNC, () -> model(two),
                m -> m.get("labels").get("canary").asString().equals("3"));
        assertThat(assertSameVersionsForSameIds(one, two).values()).containsOnly("1", "3");

        HttpTestClient.Response refused = one.delete("/api/v1/models/rep/versions/1");
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.body().get("detail").asString()).isEqualTo("model rep version 1 is named by the label "
                + "stable; point them at another version or delete them first");
    }

    @Test
    @Order(2)
    void aReplicaStartedLaterHasTheLabelsAndTheSplitWhenReady() throws Exception {
        second.close();
        second = StoreScenarios.start(StoreScenarios.replicaArguments(DB, emptyModels, 0, Duration.ofSeconds(5)));
        second.context();
        two = new HttpTestClient(port(second));
        JsonNode model = model(two);
        assertThat(model.get("labels").get("stable").asString()).isEqualTo("1");
        assertThat(model.get("labels").get("canary").asString()).isEqualTo("3");
        assertThat(model.get("traffic").get("split").get("stable").asInt()).isEqualTo(50);
        assertSameVersionsForSameIds(one, two);
    }

    @Test
    @Order(3)
    void aLabelSetWhileAnotherReplicaDeletesItsVersionWaitsAndThenFails() throws Exception {
        ModelStore store = first.context().getBean(ModelStore.class);
        try (Connection deleting = DB.dataSource(1).getConnection()) {
            deleting.setAutoCommit(false);
            try (Statement statement = deleting.createStatement()) {
                statement.executeUpdate("DELETE FROM model_versions WHERE name = 'rep' AND version = '2'");
            }
            CompletableFuture<Void> labelling = CompletableFuture.runAsync(
                    () -> store.saveLabel("rep", "gamma", "2", true));
            awaitBlockedOnALock("SELECT version FROM model_versions");
            assertThat(labelling).isNotDone();
            deleting.commit();
            assertThatThrownBy(() -> labelling.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    ModelNotFoundException.class).hasMessageContaining("model rep has no stored version 2");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM model_labels WHERE label = 'gamma'").query(Long.class).single())
                .isZero();
    }

    @Test
    @Order(4)
    void aDeleteWhileAnotherReplicaLabelsTheVersionWaitsAndThenRefuses() throws Exception {
        try (Connection labelling = DB.dataSource(1).getConnection()) {
            // What ModelStore.saveLabel does, held open.
            labelling.setAutoCommit(false);
            try (Statement statement = labelling.createStatement()) {
                statement.executeQuery("SELECT version FROM model_versions WHERE name = 'rep' AND version = '3' "
                        + "FOR UPDATE").close();
                statement.executeUpdate("INSERT INTO model_labels (name, label, version) VALUES ('rep', 'delta', '3')");
            }
            // canary names 3 as well: move it first, so that only the racing label can stop the delete.
            assertThat(one.putJson("/api/v1/models/rep/traffic", "{\"split\": {\"stable\": 100, \"canary\": 0}}")
                    .status()).isEqualTo(200);
            assertThat(one.putJson("/api/v1/models/rep/labels/canary", "{\"version\": \"1\"}").status()).isEqualTo(200);
            CompletableFuture<HttpTestClient.Response> deleting = CompletableFuture.supplyAsync(
                    () -> two.delete("/api/v1/models/rep/versions/3"));
            awaitBlockedOnALock("DELETE FROM model_versions");
            labelling.commit();
            HttpTestClient.Response refused = deleting.get(10, TimeUnit.SECONDS);
            assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
            assertThat(refused.body().get("detail").asString()).isEqualTo("model rep version 3 is named by the "
                    + "label delta; point them at another version or delete them first");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = 'rep' AND version = '3'")
                .query(Long.class).single()).isOne();
    }

    /** Waits until a statement starting with {@code sql} waits for a row lock. */
    private static void awaitBlockedOnALock(String sql) throws InterruptedException {
        await("a statement '" + sql + "...' waiting for a lock", Duration.ofSeconds(10),
                () -> jdbc.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?")
                        .param(sql + "%").query(Long.class).single(), n -> n > 0);
    }

    /** 200 request ids answer the same version on both replicas, and both labels answer some; by id. */
    private static Map<String, String> assertSameVersionsForSameIds(HttpTestClient a, HttpTestClient b) {
        Map<String, String> versions = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String id = "user-" + i;
            HttpTestClient.Response fromA = a.postJson("/api/v1/models/rep/predict", ROW, "X-Request-Id", id);
            HttpTestClient.Response fromB = b.postJson("/api/v1/models/rep/predict", ROW, "X-Request-Id", id);
            assertThat(fromA.status()).as(fromA.raw()).isEqualTo(200);
            assertThat(fromB.body().get("version").asString()).as(id).isEqualTo(fromA.body().get("version").asString());
            assertThat(fromB.body().get("predictions")).isEqualTo(fromA.body().get("predictions"));
            versions.put(id, fromA.body().get("version").asString());
        }
        assertThat(new java.util.HashSet<>(versions.values())).hasSize(2);
        return versions;
    }

    private static JsonNode model(HttpTestClient client) {
        HttpTestClient.Response response = client.get("/api/v1/models/rep");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static int port(BackgroundApplication app) {
        try {
            app.context();
            return app.port();
        } catch (Exception e) {
            throw new IllegalStateException("a replica did not start", e);
        }
    }
}
