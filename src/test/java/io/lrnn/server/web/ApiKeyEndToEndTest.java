package io.lrnn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.ServingFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The API key over real HTTP: no key, a key with open predict, a key protecting predict. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiKeyEndToEndTest {

    static final String KEY = "test-key-7f3a9c";
    static final String PREDICT = "/api/v1/models/demo/predict";
    static final String PREDICT_VERSION = "/api/v1/models/demo/versions/1/predict";
    static final String INFER = "/v2/models/demo/infer";
    static final String INFER_BODY =
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [0.1, 0.2]}]}";


    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    static void assertUnauthorizedProblem(HttpTestClient.Response response, String path, String found) {
        assertThat(response.status()).as(path).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer");
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        JsonNode problem = response.body();
        assertThat(problem.get("type").asString()).isEqualTo(ErrorMapper.TYPE_BASE + "unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asString()).isEqualTo(
                "Authorization: expected 'Bearer <API key>' (lrnn.security.api-key) but found " + found);
        assertThat(problem.get("instance").asString()).isEqualTo(path);
    }

    @Nested
    @TestPropertySource(properties = "lrnn.security.api-key=")
    class WithoutAKey {

        @LocalServerPort
        int port;

        @Test
        void everythingIsOpen() {
            HttpTestClient http = new HttpTestClient(port);
            HttpTestClient.Response models = http.get("/api/v1/models");
            assertThat(models.status()).isEqualTo(200);
            assertThat(models.body().get(0).get("name").asString()).isEqualTo("demo");
            assertThat(http.get("/actuator/metrics").status()).isEqualTo(200);
            assertThat(http.postJson(PREDICT, HttpTestClient.instances(1)).status()).isEqualTo(200);
            assertThat(http.postJson(INFER, INFER_BODY).status()).isEqualTo(200);
            // Reaches the model service, which refuses for its own reason: the version is read-only.
            assertThat(http.delete("/api/v1/models/demo/versions/1").status())
                    .isEqualTo(409);
        }
    }

    @Nested
    @TestPropertySource(properties = {"lrnn.security.api-key=" + KEY, "lrnn.security.protect-predict=false"})
    class WithAKey {

        @LocalServerPort
        int port;

        @Test
        void managementNeedsTheKey() {
            HttpTestClient http = new HttpTestClient(port);
            assertUnauthorizedProblem(http.get("/api/v1/models"), "/api/v1/models", "no bearer token");
            assertUnauthorizedProblem(http.get("/api/v1/models/demo", "Authorization", "Bearer wrong-key"),
                    "/api/v1/models/demo", "a key that does not match");
            assertUnauthorizedProblem(http.get("/api/v1/models", "Authorization", "Bearer " + KEY.substring(1)),
                    "/api/v1/models", "a key that does not match");
            assertUnauthorizedProblem(http.get("/api/v1/models", "Authorization", "Basic " + KEY),
                    "/api/v1/models", "no bearer token");

            HttpTestClient.Response allowed = http.get("/api/v1/models", "Authorization", "Bearer " + KEY);
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body().get(0).get("name").asString()).isEqualTo("demo");
        }

        @Test
        void aRefusedChangeChangesNothing() {
            HttpTestClient http = new HttpTestClient(port);
            HttpTestClient.Response pin = http.putJson("/api/v1/models/demo/default-version", "{\"version\": \"1\"}");
            assertUnauthorizedProblem(pin, "/api/v1/models/demo/default-version", "no bearer token");
            assertUnauthorizedProblem(http.delete("/api/v1/models/demo/versions/1"),
                    "/api/v1/models/demo/versions/1", "no bearer token");
            JsonNode demo = http.get("/api/v1/models/demo", "Authorization", "Bearer " + KEY).body();
            assertThat(demo.get("versions")).hasSize(1);
            assertThat(demo.get("versions").get(0).get("isDefault").asBoolean()).isTrue();
        }

        @Test
        void otherManagementEndpointsAndUnknownPathsNeedTheKey() {
            HttpTestClient http = new HttpTestClient(port);
            for (String path : new String[] {"/actuator/metrics", "/actuator", "/api/v1/nothing-here"}) {
                assertUnauthorizedProblem(http.get(path), path, "no bearer token");
            }
            assertThat(http.get("/actuator/metrics", "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
            // A dot segment that resolves to a protected path is judged by where it leads.
            HttpTestClient.Response dotted = http.get("/api/v1/models/demo/predict/../../demo");
            assertThat(dotted.status()).isEqualTo(401);
        }

        @Test
        void predictHealthMetricsOpenApiAndV2MetadataStayOpen() {
            HttpTestClient http = new HttpTestClient(port);
            HttpTestClient.Response predict = http.postJson(PREDICT, HttpTestClient.instances(2));
            assertThat(predict.status()).isEqualTo(200);
            assertThat(predict.body().get("predictions")).hasSize(2);
            assertThat(http.postJson(PREDICT_VERSION, HttpTestClient.instances(1)).status()).isEqualTo(200);
            assertThat(http.postJson(INFER, INFER_BODY).status()).isEqualTo(200);
            for (String path : new String[] {"/livez", "/readyz", "/actuator/health", "/actuator/health/readiness",
                    "/actuator/prometheus", "/v3/api-docs", "/swagger-ui/index.html", "/v2", "/v2/health/live",
                    "/v2/health/ready", "/v2/models/demo", "/v2/models/demo/ready"}) {
                assertThat(http.get(path).status()).as(path).isEqualTo(200);
            }
        }
    }

    @Nested
    @TestPropertySource(properties = {"lrnn.security.api-key=" + KEY, "lrnn.security.protect-predict=true"})
    class WithAKeyProtectingPredict {

        @LocalServerPort
        int port;

        @Test
        void predictAndInferNeedTheKey() {
            HttpTestClient http = new HttpTestClient(port);
            assertUnauthorizedProblem(http.postJson(PREDICT, HttpTestClient.instances(1)), PREDICT, "no bearer token");
            assertUnauthorizedProblem(http.postJson(PREDICT_VERSION, HttpTestClient.instances(1)), PREDICT_VERSION,
                    "no bearer token");
            HttpTestClient.Response infer = http.postJson(INFER, INFER_BODY);
            assertThat(infer.status()).isEqualTo(401);
            assertThat(infer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(infer.body().propertyNames()).containsExactly("error");

            HttpTestClient.Response predict = http.postJson(PREDICT, HttpTestClient.instances(1),
                    "Authorization", "Bearer " + KEY);
            assertThat(predict.status()).isEqualTo(200);
            assertThat(predict.body().get("model").asString()).isEqualTo("demo");
            HttpTestClient.Response inferred = http.postJson(INFER, INFER_BODY, "Authorization", "Bearer " + KEY);
            assertThat(inferred.status()).isEqualTo(200);
            assertThat(inferred.body().get("model_name").asString()).isEqualTo("demo");
        }

        @Test
        void healthAndV2MetadataStayOpen() {
            HttpTestClient http = new HttpTestClient(port);
            for (String path : new String[] {"/readyz", "/livez", "/actuator/prometheus", "/v2/health/ready",
                    "/v2/models/demo"}) {
                assertThat(http.get(path).status()).as(path).isEqualTo(200);
            }
        }
    }
}
