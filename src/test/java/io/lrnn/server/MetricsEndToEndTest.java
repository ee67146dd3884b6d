package io.lrnn.server;

import static io.lrnn.server.PrometheusSamples.parse;
import static io.lrnn.server.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lrnn.server.PrometheusSamples.Sample;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Predict requests of every outcome and both APIs, then a Prometheus scrape that must count each of
 * them, and the warm-up of the loaded version.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsEndToEndTest {

    private static final double TOLERANCE = 1e-9;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    @LocalServerPort
    int port;

    /** One sample line of the text exposition format. */

    @Test
    void predictLatencyOutcomesRowsAndLoadedModelsAreScraped() {
        HttpTestClient http = new HttpTestClient(port);
        assertThat(http.postJson("/api/v1/models/demo/predict", HttpTestClient.instances(2)).status())
                .isEqualTo(200);
        assertThat(http.postJson("/api/v1/models/demo/versions/1/predict",
                "{\"instances\": [{\"x1\": 0.5, \"x2\": -0.5}]}").status()).isEqualTo(200);
        assertThat(http.postJson("/api/v1/models/demo/predict", HttpTestClient.instances(5)).status())
                .isEqualTo(200);
        assertThat(http.postJson("/api/v1/models/demo/predict", "{\"instances\": [[1.0]]}").status())
                .isEqualTo(400);
        assertThat(http.postJson("/api/v1/models/nope/predict", HttpTestClient.instances(1)).status())
                .isEqualTo(404);
        assertThat(http.postJson("/v2/models/demo/infer", "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [4, 2], "
                + "\"datatype\": \"FP64\", \"data\": [0, 0, 0.5, 0.5, 1, 1, -1, -1]}]}").status()).isEqualTo(200);

        HttpTestClient.Response scrape = http.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        List<Sample> samples = parse(scrape.raw());

        Map<String, String> success = Map.of("model", "demo", "api", "native", "outcome", "success");
        assertThat(value(samples, "lrnn_predict_seconds_count", success)).isEqualTo(3.0);
        assertThat(value(samples, "lrnn_predict_seconds_count",
                Map.of("model", "demo", "api", "native", "outcome", "bad_request"))).isEqualTo(1.0);
        assertThat(value(samples, "lrnn_predict_seconds_count",
                Map.of("model", "unknown", "api", "native", "outcome", "not_found"))).isEqualTo(1.0);
        assertThat(value(samples, "lrnn_predict_seconds_count",
                Map.of("model", "demo", "api", "v2", "outcome", "success"))).isEqualTo(1.0);
        assertThat(value(samples, "lrnn_predict_seconds_sum", success)).isPositive();

        List<Sample> buckets = samples.stream().filter(s -> s.name().equals("lrnn_predict_seconds_bucket")
                && s.labels().entrySet().containsAll(success.entrySet())).toList();
        assertThat(buckets).hasSizeGreaterThan(10);
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(buckets.get(i).value()).as("cumulative buckets").isGreaterThanOrEqualTo(buckets.get(i - 1).value());
        }
        Map<String, String> inf = new LinkedHashMap<>(success);
        inf.put("le", "+Inf");
        assertThat(value(samples, "lrnn_predict_seconds_bucket", inf)).isEqualTo(3.0);

        assertThat(value(samples, "lrnn_predict_rows_count", Map.of("model", "demo"))).isEqualTo(4.0);
        assertThat(value(samples, "lrnn_predict_rows_sum", Map.of("model", "demo"))).isCloseTo(12.0, within(TOLERANCE));
        assertThat(value(samples, "lrnn_predict_rows_max", Map.of("model", "demo"))).isEqualTo(5.0);
        assertThat(value(samples, "lrnn_models_loaded", Map.of())).isEqualTo(1.0);
        Map<String, String> warmedUp = Map.of("model", "demo", "outcome", "success");
        assertThat(value(samples, "lrnn_models_warm_up_seconds_count", warmedUp)).as("one warm-up per version")
                .isEqualTo(1.0);
        assertThat(value(samples, "lrnn_models_warm_up_seconds_sum", warmedUp)).isPositive();
    }
}
