package io.lrnn.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ModelJsonTest {

    /** Only the required fields: two inputs, one target, an LRNN layer then a dense one. */
    private static final String MINIMAL = """
            {"format": "lrnn-model", "formatVersion": 1, "task": "regression",
             "inputs": ["x1", "x2"], "outputs": ["y"],
             "layers": [{"type": "lrnn", "width": 4, "projection": 2, "hidden": 3},
                        {"type": "dense", "width": 3, "activation": "tanh"}]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"lrnnRegression", "sharedSpder", "denseLrnnClassification"})
    void roundTripKeepsEveryField(String which) {
        Model model = switch (which) {
            case "lrnnRegression" -> TestModels.lrnnRegression();
            case "sharedSpder" -> TestModels.sharedSpder();
            default -> TestModels.denseLrnnClassification();
        };
        ModelJson.Description written = ModelJson.Description.of(model);

        ModelJson.Description read = ModelJson.parse(ModelJson.toBytes(written));

        assertThat(read.spec()).isEqualTo(written.spec());
        assertThat(read.inputs()).isEqualTo(written.inputs());
        assertThat(read.outputs()).isEqualTo(written.outputs());
        assertThat(read.normalization().inputMean()).containsExactly(written.normalization().inputMean());
        assertThat(read.normalization().inputStd()).containsExactly(written.normalization().inputStd());
        assertThat(read.normalization().targetMean()).containsExactly(written.normalization().targetMean());
        assertThat(read.normalization().targetStd()).containsExactly(written.normalization().targetStd());
        assertThat(read.provenance()).isEqualTo(written.provenance());
    }

    @Test
    void provenanceConfigBecomesPlainJavaValues() {
        Model.Provenance p = ModelJson.parse(ModelJson.toBytes(ModelJson.Description.of(TestModels.lrnnRegression())))
                .provenance();

        assertThat(p.createdAt()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(p.trainedBy()).isEqualTo("lrnn-serve 0.1.0 (test)");
        assertThat(p.datasetDigest()).isEqualTo("sha256:0123abcd");
        assertThat(p.config()).containsEntry("epochs", 12).containsEntry("learningRate", 0.001)
                .containsEntry("optimizer", "adam").containsEntry("earlyStopping", true)
                .containsEntry("schedule", Map.of("kind", "cosine", "warmup", List.of(1, 2, 3)));
    }

    @Test
    void writesPrettyPrintedLowercaseNamesAndEveryLayerField() {
        String text = new String(ModelJson.toBytes(ModelJson.Description.of(TestModels.denseLrnnClassification())),
                StandardCharsets.UTF_8);

        assertThat(text).contains("\n").contains("\"task\" : \"classification\"")
                .contains("\"activation\" : \"tanh\"").contains("\"activation\" : \"sine\"")
                .contains("\"activation\" : \"sin\"").contains("\"sharedFunctions\" : false")
                .contains("\"layerNorm\" : true").contains("\"omega\" : 3.0")
                .contains("\"format\" : \"lrnn-model\"").contains("\"formatVersion\" : 1");
    }

    @Test
    void appliesDefaultsToOptionalFields() {
        ModelJson.Description d = ModelJson.parse(MINIMAL.getBytes(StandardCharsets.UTF_8));

        assertThat(d.spec().inputSize()).isEqualTo(2);
        assertThat(d.spec().outputSize()).isEqualTo(1);
        assertThat(d.spec().task()).isEqualTo(Task.REGRESSION);
        assertThat(d.spec().layers()).containsExactly(
                new LrnnLayerSpec(4, 2, 3, UnivariateActivation.SIN, 1.0, false, false),
                new DenseLayerSpec(3, DenseActivation.TANH, 1.0));
        assertThat(d.normalization()).isNull();
        assertThat(d.provenance()).isNull();
    }

    @Test
    void ignoresUnknownFields() {
        ModelJson.Description d = ModelJson.parse(mutate(root -> {
            root.put("comment", "from a newer writer");
            layer(root, 0).putObject("extra").put("x", 1);
        }));

        assertThat(d.spec().layers()).hasSize(2);
    }

    @Test
    void classificationNormalizationMayOmitOrEmptyTheTargets() {
        ModelJson.Description d = ModelJson.parse(mutate(root -> {
            root.put("task", "classification");
            root.putArray("outputs").add("cat").add("dog");
            ObjectNode n = root.putObject("normalization");
            n.putArray("inputMean").add(1).add(2);
            n.putArray("inputStd").add(3).add(4);
            n.putArray("targetMean");
        }));

        assertThat(d.normalization().inputStd()).containsExactly(3.0, 4.0);
        assertThat(d.normalization().targetMean()).isEmpty();
        assertThat(d.normalization().targetStd()).isEmpty();
    }

    @Test
    void rejectsSomethingThatIsNotJson() {
        assertThatThrownBy(() -> ModelJson.parse("{\"format\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model.json: expected a JSON object but found invalid JSON");
    }

    @Test
    void rejectsAnotherFormat() {
        rejects(root -> root.put("format", "onnx"), "format: expected \"lrnn-model\" but found \"onnx\"");
    }

    @Test
    void rejectsAnUnknownFormatVersion() {
        rejects(root -> root.put("formatVersion", 2),
                "formatVersion: expected 1 (the only version this reader supports) but found 2");
        rejects(root -> root.remove("formatVersion"),
                "formatVersion: expected 1 (the only version this reader supports) but found nothing "
                        + "(the field is missing)");
    }

    @Test
    void rejectsMissingInputs() {
        rejects(root -> root.remove("inputs"),
                "inputs: expected a non-empty list of names but found nothing (the field is missing)");
        rejects(root -> root.putArray("inputs"), "inputs: expected a non-empty list of names but found []");
    }

    @Test
    void rejectsInputNamesThatAreNotDistinctStrings() {
        rejects(root -> root.putArray("inputs").add("x1").add(3), "inputs[1]: expected a string but found 3");
        rejects(root -> root.putArray("inputs").add("x1").add("x1"),
                "inputs[1]: expected a name not used before but found \"x1\"");
    }

    @Test
    void rejectsAnUnknownTask() {
        rejects(root -> root.put("task", "ranking"),
                "task: expected one of \"regression\", \"classification\" but found \"ranking\"");
    }

    @Test
    void rejectsClassificationWithOneLabel() {
        rejects(root -> root.put("task", "classification"),
                "outputs: expected at least 2 class labels for classification but found 1");
    }

    @Test
    void rejectsMissingOrEmptyLayers() {
        rejects(root -> root.remove("layers"),
                "layers: expected a non-empty list of layers but found nothing (the field is missing)");
        rejects(root -> root.putArray("layers"), "layers: expected a non-empty list of layers but found []");
    }

    @Test
    void rejectsAMissingRequiredLayerField() {
        rejects(root -> layer(root, 1).remove("width"),
                "layers[1].width: expected a positive integer but found nothing (the field is missing)");
        rejects(root -> layer(root, 0).remove("hidden"),
                "layers[0].hidden: expected a positive integer but found nothing (the field is missing)");
        rejects(root -> layer(root, 1).remove("activation"),
                "layers[1].activation: expected one of \"tanh\", \"relu\", \"sine\" but found nothing "
                        + "(the field is missing)");
    }

    @Test
    void rejectsLayerFieldsOfTheWrongType() {
        rejects(root -> layer(root, 0).put("width", "64"),
                "layers[0].width: expected a positive integer but found \"64\"");
        rejects(root -> layer(root, 0).put("projection", 2.5),
                "layers[0].projection: expected a positive integer but found 2.5");
        rejects(root -> layer(root, 0).put("width", 0), "layers[0].width: expected a positive integer but found 0");
        rejects(root -> layer(root, 0).put("omega", "30"),
                "layers[0].omega: expected a finite number > 0 but found \"30\"");
        rejects(root -> layer(root, 1).put("omega", -1.0),
                "layers[1].omega: expected a finite number > 0 but found -1.0");
        rejects(root -> layer(root, 0).put("layerNorm", "yes"),
                "layers[0].layerNorm: expected true or false but found \"yes\"");
        rejects(root -> layer(root, 0).put("sharedFunctions", 1),
                "layers[0].sharedFunctions: expected true or false but found 1");
        rejects(root -> ((ArrayNode) root.get("layers")).add(5), "layers[2]: expected an object but found 5");
    }

    @Test
    void rejectsAnUnknownActivation() {
        rejects(root -> layer(root, 0).put("activation", "relu"),
                "layers[0].activation: expected one of \"sin\", \"spder\" but found \"relu\"");
        rejects(root -> layer(root, 1).put("activation", "sin"),
                "layers[1].activation: expected one of \"tanh\", \"relu\", \"sine\" but found \"sin\"");
        rejects(root -> layer(root, 1).put("activation", "TANH"),
                "layers[1].activation: expected one of \"tanh\", \"relu\", \"sine\" but found \"TANH\"");
    }

    @Test
    void rejectsAnUnknownLayerType() {
        rejects(root -> layer(root, 1).put("type", "conv"),
                "layers[1].type: expected \"lrnn\" or \"dense\" but found \"conv\"");
    }

    @Test
    void rejectsNormalizationOfTheWrongSize() {
        rejects(root -> normalization(root).putArray("inputMean").add(0).add(0).add(0),
                "normalization.inputMean: expected 2 numbers (one per input) but found [0,0,0]");
        rejects(root -> normalization(root).remove("targetStd"),
                "normalization.targetStd: expected 1 numbers (one per output) but found nothing "
                        + "(the field is missing)");
    }

    @Test
    void rejectsNormalizationValuesOutOfRange() {
        rejects(root -> normalization(root).putArray("inputStd").add(1.0).add(0.0),
                "normalization.inputStd[1]: expected a finite number > 0 but found 0.0");
        rejects(root -> normalization(root).putArray("targetMean").add("NaN"),
                "normalization.targetMean[0]: expected a finite number but found \"NaN\"");
    }

    @Test
    void rejectsTargetNormalizationForClassification() {
        rejects(root -> {
            root.put("task", "classification");
            root.putArray("outputs").add("cat").add("dog");
            normalization(root).putArray("targetMean").add(0.0).add(0.0);
        }, "normalization.targetMean: expected no values for classification (absent or []) but found [0.0,0.0]");
    }

    @Test
    void rejectsProvenanceOfTheWrongType() {
        rejects(root -> root.putObject("provenance").put("createdAt", 2026),
                "provenance.createdAt: expected a string but found 2026");
        rejects(root -> root.putObject("provenance").putArray("config"),
                "provenance.config: expected an object but found []");
        rejects(root -> root.put("provenance", "me"), "provenance: expected an object but found \"me\"");
    }

    private static void rejects(Consumer<ObjectNode> change, String message) {
        byte[] json = mutate(change);
        AbstractThrowableAssert<?, ?> thrown = assertThatThrownBy(() -> ModelJson.parse(json));
        thrown.isInstanceOf(ModelFormatException.class).hasMessage(message);
    }

    /** {@link #MINIMAL} with a regression normalization, changed by {@code change}. */
    private static byte[] mutate(Consumer<ObjectNode> change) {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(MINIMAL);
        ObjectNode n = root.putObject("normalization");
        n.putArray("inputMean").add(0.5).add(-1.0);
        n.putArray("inputStd").add(2.0).add(0.25);
        n.putArray("targetMean").add(3.0);
        n.putArray("targetStd").add(1.5);
        change.accept(root);
        return Json.MAPPER.writeValueAsBytes(root);
    }

    private static ObjectNode layer(ObjectNode root, int k) {
        return (ObjectNode) root.get("layers").get(k);
    }

    private static ObjectNode normalization(ObjectNode root) {
        return (ObjectNode) root.get("normalization");
    }
}
