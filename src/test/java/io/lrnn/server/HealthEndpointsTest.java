package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Liveness and readiness groups over HTTP, at the actuator paths and at /livez and /readyz;
 * readiness is "can serve predictions", so the database is reported on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthEndpointsTest {

    @TempDir
    static Path models;


    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) throws Exception {
        ServingFixtures.write(models, "good", "1", ServingFixtures.model(5));
        Path broken = Files.createDirectories(models.resolve("broken").resolve("3"));
        Files.writeString(broken.resolve("model.json"), "{\"format\": \"lrnn-model\"");
        registry.add("lrnn.models.directory", models::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void readinessIsTheReadinessStateAndTheModelsWithTheirCountsAndLoadErrorsNotTheDatabase() {
        for (String path : new String[] {"/readyz", "/actuator/health/readiness"}) {
            HttpTestClient.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            JsonNode health = response.body();
            assertThat(health.get("status").asString()).as(path).isEqualTo("UP");
            assertThat(health.get("components").propertyNames()).as(path)
                    .containsExactlyInAnyOrder("readinessState", "models", "grpc");
            JsonNode models = health.get("components").get("models");
            assertThat(models.get("status").asString()).isEqualTo("UP");
            assertThat(models.get("details").get("models").asInt()).isEqualTo(1);
            assertThat(models.get("details").get("versions").asInt()).isEqualTo(1);
            assertThat(models.get("details").get("loadErrors")).hasSize(1);
            assertThat(models.get("details").get("loadErrors").get(0).asString()).startsWith("broken/3: ");
        }
    }

    @Test
    void livenessIsOnlyTheLivenessState() {
        for (String path : new String[] {"/livez", "/actuator/health/liveness"}) {
            HttpTestClient.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            JsonNode health = response.body();
            assertThat(health.get("status").asString()).isEqualTo("UP");
            assertThat(health.get("components").propertyNames()).as(path).containsExactly("livenessState");
        }
    }

    /** The database on its own, from the background check; a request never waits on it. */
    @Test
    void theDatabaseIsItsOwnComponentCheckedInTheBackground() throws InterruptedException {
        JsonNode db = awaitDb();
        assertThat(db.get("status").asString()).isEqualTo("UP");
        assertThat(db.get("details").get("database").asString()).isEqualTo("H2");
        assertThat(Instant.parse(db.get("details").get("checkedAt").asString()))
                .isAfter(Instant.now().minusSeconds(60));
        assertThat(db.get("details").has("error")).isFalse();
        assertThat(http.get("/actuator/health").body().get("components").get("db").get("status").asString())
                .isEqualTo("UP");
    }

    /** lrnn.store.connection-timeout reaches the pool, so a request waits at most that for a connection. */
    @Test
    void thePoolWaitsTheStoreConnectionTimeoutNotHikarisThirtySeconds() {
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        HikariDataSource pool = (HikariDataSource) dataSource;
        assertThat(pool.getConnectionTimeout()).isEqualTo(2_000);
        assertThat(pool.getValidationTimeout()).isEqualTo(1_000);
    }

    private JsonNode awaitDb() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpTestClient.Response response = http.get("/actuator/health/db");
            if (!response.body().get("status").asString().equals("UNKNOWN") || System.nanoTime() > deadline) {
                return response.body();
            }
            Thread.sleep(50);
        }
    }

    @Test
    void overallHealthIncludesTheModels() {
        JsonNode health = http.get("/actuator/health").body();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("models").get("details").get("versions").asInt()).isEqualTo(1);
        assertThat(health.get("groups")).extracting(JsonNode::asString).contains("liveness", "readiness");
    }
}
