package io.lrnn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.io.SafeTensors;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.ServingFixtures;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** lrnn.predict.max-body-size (2 KB here) over real HTTP: declared lengths, chunked bodies, multipart only on the uploads. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lrnn.predict.max-body-size=2KB")
class BodySizeLimitTest {

    static final int LIMIT = 2048;


    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    /** A predict body of {@code rows} rows and its size in bytes. */
    static byte[] body(int rows) {
        return HttpTestClient.instances(rows).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyWithinTheLimitIsServedWhetherItsLengthIsDeclaredOrChunked() {
        byte[] body = body(60);
        assertThat(body.length).isBetween(LIMIT / 2, LIMIT);
        HttpTestClient.Response declared = http.send(http.request("/api/v1/models/demo/predict")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        HttpTestClient.Response chunked = http.send(http.request("/api/v1/models/demo/predict")
                .header("Content-Type", "application/json").POST(chunked(body)));
        for (HttpTestClient.Response response : List.of(declared, chunked)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().get("predictions")).hasSize(60);
        }
        assertThat(declared.raw()).isEqualTo(chunked.raw());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsAProblemAt413() {
        byte[] body = body(120);
        assertThat(body.length).isGreaterThan(LIMIT);
        HttpTestClient.Response response = http.send(http.request("/api/v1/models/demo/predict")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = response.body();
        assertThat(problem.get("type").asString()).isEqualTo(ErrorMapper.TYPE_BASE + "payload-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("title").asString()).isEqualTo("Content Too Large");
        assertThat(problem.get("detail").asString()).isEqualTo("request body: expected at most " + LIMIT
                + " bytes (lrnn.predict.max-body-size) but found Content-Length " + body.length);
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/models/demo/predict");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyOfTheBodyIsSent() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/models/demo/predict HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void aChunkedBodyThatRunsPastTheLimitIsTheSameProblem() {
        HttpTestClient.Response response = http.send(http.request("/api/v1/models/demo/predict")
                .header("Content-Type", "application/json").POST(chunked(body(400))));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = response.body();
        assertThat(problem.get("type").asString()).isEqualTo(ErrorMapper.TYPE_BASE + "payload-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("title").asString()).isEqualTo("Content Too Large");
        assertThat(problem.get("detail").asString()).isEqualTo("request body: expected at most " + LIMIT
                + " bytes (lrnn.predict.max-body-size) but found more");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/models/demo/predict");
    }

    @Test
    void underV2TheErrorIsTheOpenInferenceShape() {
        HttpTestClient.Response response = http.send(http.request("/v2/models/demo/infer")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = response.body();
        assertThat(error.propertyNames()).containsExactly("error");
        assertThat(error.get("error").asString()).contains("at most " + LIMIT + " bytes");
    }

    @Test
    void multipartUploadsAreLeftToTheMultipartLimits() {
        Model model = ServingFixtures.model(11);
        byte[] weights = ModelFiles.toSafeTensors(model, SafeTensors.DType.F64);
        assertThat(weights.length).isGreaterThan(LIMIT);
        HttpTestClient.Response response = http.putMultipart("/api/v1/models/big/versions/1",
                Map.of("model", ModelFiles.toJson(model), "weights", weights));
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.body().get("name").asString()).isEqualTo("big");
    }

    @Test
    void multipartOffTheUploadEndpointsIs415BeforeItIsRead() {
        HttpTestClient.Response predict = http.putMultipart("/api/v1/models/demo/predict",
                Map.of("file", new byte[LIMIT * 4]));
        assertThat(predict.status()).isEqualTo(415);
        assertThat(predict.body().get("type").asString()).isEqualTo(ErrorMapper.TYPE_BASE + "unsupported-media-type");
        assertThat(predict.body().get("detail").asString()).startsWith("Content-Type: expected a multipart body only on "
                + "PUT /api/v1/models/{name}/versions/{version} and POST /api/v1/datasets but found multipart/form-data; "
                + "boundary=");
        assertThat(predict.body().get("detail").asString()).endsWith(" on PUT /api/v1/models/demo/predict");
        HttpTestClient.Response v2 = http.putMultipart("/v2/models/demo/infer", Map.of("file", new byte[10]));
        assertThat(v2.status()).isEqualTo(415);
        assertThat(v2.body().propertyNames()).containsExactly("error");
    }

    /** A body of unknown length, which HTTP/1.1 sends with Transfer-Encoding: chunked. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        assertThat(publisher.contentLength()).isNegative();
        return publisher;
    }
}
