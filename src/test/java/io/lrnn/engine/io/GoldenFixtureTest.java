package io.lrnn.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model format version 1 fixtures written by PyTorch ({@code tools/python/export_fixtures.py}):
 * each must load with {@link ModelFiles#read} and predict what PyTorch computed, in double
 * precision, through both the batch and the single-row path. These files must keep loading
 * forever; regenerate them only on purpose.
 */
class GoldenFixtureTest {

    /** Absolute tolerance, relative for values above 1 in magnitude. */
    private static final double TOLERANCE = 1e-9;

    private static final String FIXTURES = "/fixtures/format-v1";

    /** The fixtures that exist; deleting one must fail a test. */
    private static final List<String> KNOWN = List.of("classification-dense-lrnn", "regression-lrnn-layernorm",
            "regression-lrnn-shared", "regression-spder");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Path fixtureRoot() throws URISyntaxException {
        return Path.of(GoldenFixtureTest.class.getResource(FIXTURES).toURI());
    }

    static List<Path> fixtureDirs() throws IOException, URISyntaxException {
        try (Stream<Path> children = Files.list(fixtureRoot())) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    static Stream<Named<Path>> fixtures() throws IOException, URISyntaxException {
        return fixtureDirs().stream().map(dir -> Named.of(dir.getFileName().toString(), dir));
    }

    @Test
    void everyKnownFixtureIsPresent() throws IOException, URISyntaxException {
        assertThat(fixtureDirs()).extracting(dir -> dir.getFileName().toString()).containsAll(KNOWN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void predictsWhatPyTorchComputed(Path dir, TestReporter reporter) throws IOException {
        Model model = ModelFiles.read(dir);
        JsonNode golden = JSON.readTree(Files.readAllBytes(dir.resolve("golden.json")));
        double[][] inputs = matrix(golden.get("inputs"));
        double[][] expected = matrix(golden.get("outputs"));
        String name = dir.getFileName().toString();
        assertThat(inputs.length).as("%s: golden rows", name).isPositive().isEqualTo(expected.length);
        assertThat(inputs[0]).as("%s: golden input width", name).hasSize(model.inputs().size());
        assertThat(expected[0]).as("%s: golden output width", name).hasSize(model.outputs().size());

        DMatrixRMaj batch = model.predict(new DMatrixRMaj(inputs));
        assertThat(batch.numRows).isEqualTo(expected.length);
        assertThat(batch.numCols).isEqualTo(expected[0].length);
        double batchError = 0;
        double rowError = 0;
        double[] out = new double[expected[0].length];
        for (int b = 0; b < expected.length; b++) {
            double[] row = inputs[b].clone();
            model.predictRow(row, out);
            assertThat(row).as("%s row %d: predictRow keeps its input", name, b).containsExactly(inputs[b]);
            for (int k = 0; k < expected[b].length; k++) {
                double want = expected[b][k];
                assertClose(batch.get(b, k), want, name + ": predict, row " + b + ", output " + k);
                assertClose(out[k], want, name + ": predictRow, row " + b + ", output " + k);
                batchError = Math.max(batchError, Math.abs(batch.get(b, k) - want));
                rowError = Math.max(rowError, Math.abs(out[k] - want));
            }
        }
        reporter.publishEntry("maxAbsDiff", name + ": predict " + batchError + ", predictRow " + rowError);
    }

    private static void assertClose(double actual, double expected, String where) {
        assertThat(Math.abs(actual - expected))
                .as("%s: expected %s but found %s", where, expected, actual)
                .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(expected)));
    }

    private static double[][] matrix(JsonNode rows) {
        assertThat(rows).as("golden.json: an array of rows").isNotNull();
        assertThat(rows.isArray()).as("golden.json: an array of rows").isTrue();
        double[][] values = new double[rows.size()][];
        for (int b = 0; b < rows.size(); b++) {
            JsonNode row = rows.get(b);
            values[b] = new double[row.size()];
            for (int k = 0; k < row.size(); k++) {
                values[b][k] = row.get(k).asDouble();
            }
        }
        return values;
    }
}
