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

/** The OpenAPI document and Swagger UI, on by default and off with LRNN_OPENAPI_ENABLED=false. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {


    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    @Nested
    @TestPropertySource(properties = "lrnn.security.api-key=doc-key")
    class Enabled {

        @LocalServerPort
        int port;

        JsonNode document() {
            HttpTestClient.Response response = new HttpTestClient(port).get("/v3/api-docs");
            assertThat(response.status()).isEqualTo(200);
            return response.body();
        }

        @Test
        void describesTheServiceAndItsBearerScheme() {
            JsonNode document = document();
            assertThat(document.get("info").get("title").asString()).isEqualTo("LRNN Serve API");
            assertThat(document.get("info").get("description").asString()).contains("Open Inference Protocol");
            assertThat(document.get("info").get("version").asString()).isNotBlank();
            JsonNode scheme = document.get("components").get("securitySchemes").get("bearer");
            assertThat(scheme.get("type").asString()).isEqualTo("http");
            assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        }

        @Test
        void listsTheModelPredictAndOpenInferencePaths() {
            assertThat(document().get("paths").propertyNames()).contains(
                    "/api/v1/models",
                    "/api/v1/models/{name}",
                    "/api/v1/models/{name}/versions/{version}",
                    "/api/v1/models/{name}/default-version",
                    "/api/v1/models/{name}/labels/{label}",
                    "/api/v1/models/{name}/traffic",
                    "/api/v1/models/{name}/predict",
                    "/api/v1/models/{name}/versions/{version}/predict",
                    "/v2",
                    "/v2/health/live",
                    "/v2/health/ready",
                    "/v2/models/{name}",
                    "/v2/models/{name}/versions/{version}",
                    "/v2/models/{name}/ready",
                    "/v2/models/{name}/versions/{version}/ready",
                    "/v2/models/{name}/infer",
                    "/v2/models/{name}/versions/{version}/infer");
        }

        @Test
        void theJobEventsAreAnEventStreamWithTheirErrors() {
            JsonNode events = document().get("paths").get("/api/v1/training-jobs/{id}/events").get("get");
            assertThat(events.get("responses").get("200").get("content").propertyNames())
                    .containsExactly("text/event-stream");
            assertThat(events.get("responses").propertyNames()).contains("404", "503");
            assertThat(events.get("parameters").findValuesAsString("name")).contains("id", "Last-Event-ID");
        }

        @Test
        void theKeyIsRequiredWhereTheFilterRequiresIt() {
            JsonNode paths = document().get("paths");
            for (String[] operation : new String[][] {{"/api/v1/models", "get"},
                    {"/api/v1/models/{name}/versions/{version}", "put"},
                    {"/api/v1/models/{name}/versions/{version}", "delete"},
                    {"/api/v1/models/{name}/default-version", "put"},
                    {"/api/v1/models/{name}/labels/{label}", "put"}, {"/api/v1/models/{name}/labels/{label}", "delete"},
                    {"/api/v1/models/{name}/traffic", "put"}, {"/api/v1/models/{name}/traffic", "delete"},
                    {"/api/v1/training-presets", "get"}}) {
                JsonNode security = paths.get(operation[0]).get(operation[1]).get("security");
                assertThat(security).as("%s %s", operation[1], operation[0]).isNotNull().hasSize(1);
                assertThat(security.get(0).propertyNames()).containsExactly("bearer");
            }
            for (String[] operation : new String[][] {{"/api/v1/models/{name}/predict", "post"},
                    {"/v2/models/{name}/infer", "post"}, {"/v2/health/ready", "get"}}) {
                assertThat(paths.get(operation[0]).get(operation[1]).has("security"))
                        .as("%s %s", operation[1], operation[0]).isFalse();
            }
            assertThat(paths.get("/api/v1/models/{name}/predict").get("post").get("parameters").findValuesAsString("name"))
                    .contains("label", "X-Request-Id");
        }

        @Test
        void swaggerUiIsServed() {
            HttpTestClient.Response ui = new HttpTestClient(port).get("/swagger-ui/index.html");
            assertThat(ui.status()).isEqualTo(200);
            assertThat(ui.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(ui.raw()).contains("swagger-ui");
        }
    }

    @Nested
    @TestPropertySource(properties = "LRNN_OPENAPI_ENABLED=false")
    class Disabled {

        @LocalServerPort
        int port;

        @Test
        void neitherTheDocumentNorTheUiIsServed() {
            HttpTestClient http = new HttpTestClient(port);
            assertThat(http.get("/v3/api-docs").status()).isEqualTo(404);
            assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(404);
            assertThat(http.get("/api/v1/models").status()).isEqualTo(200);
        }
    }
}
