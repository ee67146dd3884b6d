package io.lrnn.server.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import io.lrnn.server.TestModels;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelRegistry;
import io.lrnn.server.models.RegistryAccess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.util.unit.DataSize;

@WebMvcTest(NativePredictController.class)
@Import({PredictionService.class, PredictBudget.class, NativePredictControllerTest.Setup.class})
class NativePredictControllerTest {

    static final Model REGRESSION = TestModels.regression(1);
    static final Model CLASSIFIER = TestModels.classifier(2);

    @TestConfiguration
    static class Setup {
        @Bean
        ModelRegistry registry() {
            ModelRegistry registry = new ModelRegistry();
            RegistryAccess.add(registry, new LoadedModel("reg", "1", REGRESSION, false, Instant.EPOCH));
            RegistryAccess.add(registry, new LoadedModel("reg", "2", TestModels.regression(9), false, Instant.EPOCH));
            RegistryAccess.add(registry, new LoadedModel("cls", "1", CLASSIFIER, false, Instant.EPOCH));
            return registry;
        }

        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        LrnnProperties properties() {
            return io.lrnn.server.TestProperties.of(Path.of("none"), 4, DataSize.ofMegabytes(1));
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Test
    void regressionAnswersEveryOutputByNameAndMatchesTheEngine() {
        double[][] rows = {{0.1, -0.2, 0.3}, {1.5, 0.0, -2.0}};
        DMatrixRMaj expected = REGRESSION.predict(new DMatrixRMaj(rows));
        assertThat(post("/api/v1/models/reg/versions/1/predict",
                "{\"instances\": [[0.1, -0.2, 0.3], {\"x3\": -2.0, \"x1\": 1.5, \"x2\": 0}]}"))
                .hasStatusOk().bodyJson()
                .hasPathSatisfying("$.model", v -> v.assertThat().isEqualTo("reg"))
                .hasPathSatisfying("$.version", v -> v.assertThat().isEqualTo("1"))
                .hasPathSatisfying("$.predictions[0].y1", v -> v.assertThat().satisfies(isDouble(expected.get(0, 0))))
                .hasPathSatisfying("$.predictions[0].y2", v -> v.assertThat().satisfies(isDouble(expected.get(0, 1))))
                .hasPathSatisfying("$.predictions[1].y1", v -> v.assertThat().satisfies(isDouble(expected.get(1, 0))));
    }

    @Test
    void withoutAVersionTheDefaultAnswers() {
        assertThat(post("/api/v1/models/reg/predict", "{\"instances\": [[0, 0, 0]]}")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.version", v -> v.assertThat().isEqualTo("2"));
    }

    @Test
    void classificationAnswersTheLabelAndEveryProbability() {
        DMatrixRMaj p = CLASSIFIER.predict(new DMatrixRMaj(new double[][] {{0.3, -0.7}}));
        int best = 0;
        for (int k = 1; k < 3; k++) {
            best = p.get(0, k) > p.get(0, best) ? k : best;
        }
        String label = CLASSIFIER.outputs().get(best);
        assertThat(post("/api/v1/models/cls/predict", "{\"instances\": [{\"a\": 0.3, \"b\": -0.7}]}"))
                .hasStatusOk().bodyJson()
                .hasPathSatisfying("$.predictions[0].label", v -> v.assertThat().isEqualTo(label))
                .hasPathSatisfying("$.predictions[0].probabilities.dog", v -> v.assertThat().satisfies(isDouble(p.get(0, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no instances          | {}                                        | instances: expected an array of rows but found none",
        "empty batch           | {\"instances\": []}                        | instances: expected at least one row but found an empty batch",
        "too many rows         | {\"instances\": [[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3]]} | instances: expected at most 4 rows (lrnn.predict.max-batch) but found at least 5 rows",
        "too few values        | {\"instances\": [[1, 2]]}                  | instances[0]: expected 3 values [x1, x2, x3] but found 2 values",
        "text value            | {\"instances\": [[1, \"2\", 3]]}           | instances[0][1]: expected a number but found string \"2\"",
        "overflow              | {\"instances\": [[1, 2, 1e400]]}           | instances[0][2]: expected a finite number but found Infinity",
        "unknown feature       | {\"instances\": [{\"x1\": 1, \"x2\": 2, \"x3\": 3, \"x9\": 4}]} | instances[0].x9: expected one of the features [x1, x2, x3] but found an unknown feature",
        "missing feature       | {\"instances\": [{\"x1\": 1, \"x3\": 3}]}  | instances[0].x2: expected a number but found none",
        "row not array         | {\"instances\": [5]}                       | instances[0]: expected an array of 3 numbers or an object keyed by [x1, x2, x3] but found number",
        "too many values       | {\"instances\": [[1, 2, 3, 4, [5]]]}      | instances[0]: expected 3 values [x1, x2, x3] but found 5 values",
        "integer beyond double | {\"instances\": [[1, 2, 1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000]]} | instances[0][2]: expected a finite number but found Infinity",
        "feature twice         | {\"instances\": [{\"x1\": 1, \"x1\": 2, \"x2\": 2, \"x3\": 3}]} | instances[0].x1: expected each feature once but found it again",
        "nested too deep       | {\"other\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], \"instances\": [[1, 2, 3]]} | request body: expected JSON within the limits (depth 32, numbers of 1000 characters, strings of 65536) but found Document nesting depth (33) exceeds the maximum allowed (32)",
        "not an object         | [[1, 2, 3]]                               | request body: expected an object {\"instances\": [...]} but found array",
    })
    void badInputIsA400NamingTheField(String name, String body, String detail) {
        assertThat(post("/api/v1/models/reg/versions/1/predict", body)).hasStatus(400)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo(detail))
                .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo("https://lrnn.io/problems/invalid-input"));
    }

    @Test
    void aRowThatOverflowsInsideTheModelIsA422NamingItNeverNaN() {
        assertThat(post("/api/v1/models/reg/versions/1/predict",
                "{\"instances\": [[0.1, 0.2, 0.3], [1e308, -1e308, 1e308]]}")).hasStatus(422)
                .hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyJson()
                .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo("https://lrnn.io/problems/non-finite-output"))
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().startsWith("row 1: expected a finite y1 but found "));
    }

    @Test
    void malformedJsonAndWrongContentTypeAreClientErrors() {
        assertThat(post("/api/v1/models/reg/predict", "{\"instances\": [[1, 2")).hasStatus(400).bodyJson()
                .hasPathSatisfying("$.detail", v -> v.assertThat().asString().startsWith("request body: expected well-formed JSON"));
        assertThat(mvc.post().uri("/api/v1/models/reg/predict").contentType(MediaType.TEXT_PLAIN).content("1,2,3"))
                .hasStatus(415);
    }

    @Test
    void unknownModelOrVersionIs404() {
        assertThat(post("/api/v1/models/nope/predict", "{\"instances\": [[1, 2, 3]]}")).hasStatus(404);
        assertThat(post("/api/v1/models/reg/versions/3/predict", "{\"instances\": [[1, 2, 3]]}")).hasStatus(404)
                .bodyJson().hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("model reg has no version 3 (versions: 1, 2)"));
    }

    /** JSON numbers arrive as BigDecimal; the double they print must be the engine's, bit for bit. */
    static java.util.function.Consumer<Object> isDouble(double expected) {
        return actual -> assertThat(((Number) actual).doubleValue()).isEqualTo(expected);
    }

    private MvcTestResult post(String uri, String body) {
        return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }
}
