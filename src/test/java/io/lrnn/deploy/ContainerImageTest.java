package io.lrnn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the image from the Dockerfile (the whole multi-stage build, Maven included) and runs it
 * the way the Helm chart does: read-only root filesystem, a tmpfs on /tmp, an API key. Then
 * /readyz answers and the example model predicts. Needs a Docker engine; skipped without one.
 */
class ContainerImageTest {

    private static final String API_KEY = "container-test-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void imageServesTheExampleModelOnAReadOnlyRoot() throws Exception {
        Assumptions.assumeTrue(dockerAvailable(), "No Docker engine for Testcontainers: the image build and run "
                + "test (Dockerfile -> /readyz -> predict) runs only where Docker is available");
        int port = DeploymentFiles.applicationPort();
        ImageFromDockerfile image = new ImageFromDockerfile("lrnn-serve-test", true)
                .withDockerfile(DeploymentFiles.file("Dockerfile"));

        try (GenericContainer<?> container = new GenericContainer<>(image)
                .withExposedPorts(port)
                .withEnv("LRNN_API_KEY", API_KEY)
                .withTmpFs(Map.of("/tmp", "rw,size=256m"))
                .withCreateContainerCmdModifier(cmd -> {
                    if (cmd.getHostConfig() != null) {
                        cmd.getHostConfig().withReadonlyRootfs(true);
                    }
                })
                .waitingFor(Wait.forHttp("/readyz").forPort(port).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)))) {
            container.start();
            String base = "http://" + container.getHost() + ":" + container.getMappedPort(port);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"");

            HttpResponse<String> prediction = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/models/demo/predict"))
                    .timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[0.5, 0.5]]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
            assertThat(prediction.body()).contains("\"model\":\"demo\"").contains("\"predictions\"");

            // The management API needs the key.
            HttpRequest.Builder models = HttpRequest.newBuilder(URI.create(base + "/api/v1/models")).timeout(TIMEOUT);
            assertThat(client.send(models.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(client.send(models.header("Authorization", "Bearer " + API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
