package io.lrnn.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Tensor;
import io.lrnn.engine.io.SafeTensors.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFilesTest {

    private static final int ROWS = 37;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lrnnRegression", "sharedSpder", "denseLrnnClassification"})
    void f64RoundTripPredictsBitIdentically(String which) throws Exception {
        Model model = model(which);
        Path dir = tmp.resolve("models").resolve(which).resolve("1");

        ModelFiles.write(model, dir, DType.F64);
        Model loaded = ModelFiles.read(dir);

        DMatrixRMaj x = TestModels.rows(model, ROWS);
        assertThat(loaded.predict(x).data).containsExactly(model.predict(x).data);
        assertThat(loaded.spec()).isEqualTo(model.spec());
        assertThat(loaded.inputs()).isEqualTo(model.inputs());
        assertThat(loaded.outputs()).isEqualTo(model.outputs());
        assertThat(loaded.provenance()).isEqualTo(model.provenance());
        assertThat(loaded.normalization().inputStd()).containsExactly(model.normalization().inputStd());
        assertThat(loaded.normalization().targetMean()).containsExactly(model.normalization().targetMean());
        List<Tensor> want = model.network().parameters().tensors();
        List<Tensor> have = loaded.network().parameters().tensors();
        assertThat(have).extracting(Tensor::name).isEqualTo(want.stream().map(Tensor::name).toList());
        for (int i = 0; i < want.size(); i++) {
            assertThat(have.get(i).data()).as(want.get(i).name()).containsExactly(want.get(i).data());
        }
    }

    @Test
    void f32RoundTripEqualsTheModelWithEveryWeightRoundedToFloat() throws Exception {
        Model model = TestModels.lrnnRegression();
        Path dir = tmp.resolve("f32");

        ModelFiles.write(model, dir, DType.F32);
        Model loaded = ModelFiles.read(dir);

        Parameters rounded = model.network().parameters().copy();
        for (Tensor t : rounded.tensors()) {
            double[] data = t.data();
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) data[i];
            }
        }
        Model reference = new Model(new Network(model.spec(), rounded), model.inputs(), model.outputs(),
                model.normalization(), model.provenance());
        DMatrixRMaj x = TestModels.rows(model, ROWS);
        assertThat(loaded.predict(x).data).containsExactly(reference.predict(x).data);
        assertThat(Files.size(dir.resolve(ModelFiles.WEIGHTS)))
                .isLessThan(ModelFiles.toSafeTensors(model, DType.F64).length);
    }

    @Test
    void readsUploadedBytesLikeFiles() {
        Model model = TestModels.denseLrnnClassification();

        Model loaded = ModelFiles.read(ModelFiles.toJson(model), ModelFiles.toSafeTensors(model, DType.F64));

        DMatrixRMaj x = TestModels.rows(model, ROWS);
        assertThat(loaded.predict(x).data).containsExactly(model.predict(x).data);
    }

    @Test
    void writeLeavesOnlyTheVersionDirectoryWithItsTwoFiles() throws Exception {
        Path parent = tmp.resolve("m");
        ModelFiles.write(TestModels.sharedSpder(), parent.resolve("1"));

        try (Stream<Path> siblings = Files.list(parent); Stream<Path> files = Files.list(parent.resolve("1"))) {
            assertThat(siblings).containsExactly(parent.resolve("1"));
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS);
        }
    }

    @Test
    void writeReplacesAnEmptyDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));

        ModelFiles.write(TestModels.sharedSpder(), dir);

        assertThat(ModelFiles.read(dir).outputs()).containsExactly("signal");
    }

    @Test
    void writeRefusesAnExistingVersionAndLeavesItIntact() throws Exception {
        Path dir = tmp.resolve("v1");
        ModelFiles.write(TestModels.sharedSpder(), dir);
        byte[] before = Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS));

        assertThatThrownBy(() -> ModelFiles.write(TestModels.lrnnRegression(), dir))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("not empty");
        assertThat(Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS))).isEqualTo(before);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings).containsExactly(dir);
        }
    }

    @Test
    void writeRefusesARegularFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");

        assertThatThrownBy(() -> ModelFiles.write(TestModels.sharedSpder(), file))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a directory");
    }

    @Test
    void writeOfAModelWithANaNWeightWritesNothing() {
        Model model = TestModels.sharedSpder();
        model.network().parameters().get("layers.0.g.v").data()[3] = Double.NaN;
        Path dir = tmp.resolve("nan");

        assertThatThrownBy(() -> ModelFiles.write(model, dir))
                .hasMessage("layers.0.g.v: expected finite F64 values but found NaN at flat index 3");
        assertThat(dir).doesNotExist();
    }

    @Test
    void readOfAMissingDirectoryIsAnIoError() {
        assertThatThrownBy(() -> ModelFiles.read(tmp.resolve("nowhere"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rejectsAnExtraTensor() {
        List<Tensor> tensors = new ArrayList<>(tensors(TestModels.sharedSpder()));
        tensors.add(Tensor.zeros("layers.0.norm.weight", 6));

        assertRejected(TestModels.sharedSpder(), tensors, "weights.safetensors does not match model.json: "
                + "layers.0.norm.weight: expected no such tensor (model.json implies 8 others) but found shape [6] "
                + "(extra)");
    }

    @Test
    void rejectsAMissingTensor() {
        List<Tensor> tensors = new ArrayList<>(tensors(TestModels.lrnnRegression()));
        tensors.removeIf(t -> t.name().equals("layers.1.norm.bias"));

        assertRejected(TestModels.lrnnRegression(), tensors, "weights.safetensors does not match model.json: "
                + "layers.1.norm.bias: expected a tensor of shape [5] but found none (missing)");
    }

    @Test
    void rejectsAMisShapedTensor() {
        List<Tensor> tensors = new ArrayList<>(tensors(TestModels.lrnnRegression()));
        tensors.replaceAll(t -> t.name().equals("layers.1.g.a") ? Tensor.zeros(t.name(), 5, 3, 2) : t);

        assertRejected(TestModels.lrnnRegression(), tensors, "weights.safetensors does not match model.json: "
                + "layers.1.g.a: expected shape [5, 2, 3] but found [5, 3, 2]");
    }

    @Test
    void rejectsSpecAndWeightsThatDisagreeListingEveryTensor() {
        Model wide = TestModels.lrnnRegression();
        Model narrow = TestModels.sharedSpder();

        assertThatThrownBy(() -> ModelFiles.read(ModelFiles.toJson(wide), ModelFiles.toSafeTensors(narrow, DType.F64)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("weights.safetensors does not match model.json: "
                        + "layers.0.proj.weight: expected shape [24, 3] but found [24, 2]; "
                        + "layers.0.g.a: expected shape [8, 3, 4] but found [4, 5]; ")
                .hasMessageContaining("layers.0.norm.weight: expected a tensor of shape [8] but found none (missing)")
                .hasMessageContaining("layers.1.proj.weight: expected a tensor of shape [10, 8] but found none")
                .hasMessageEndingWith("; and 7 more");
    }

    @Test
    void rejectsANaNWeight() {
        List<Tensor> tensors = tensors(TestModels.lrnnRegression());
        tensors.get(5).data()[7] = Double.NaN; // layers.0.g.e

        assertRejected(TestModels.lrnnRegression(), tensors,
                "weights.safetensors: layers.0.g.e: expected finite values but found NaN at flat index 7");
    }

    @Test
    void rejectsATruncatedWeightsFile() throws Exception {
        Model model = TestModels.lrnnRegression();
        Path dir = tmp.resolve("cut");
        ModelFiles.write(model, dir);
        Path weights = dir.resolve(ModelFiles.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 4));

        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("weights.safetensors: head.bias.data_offsets: expected an end within the "
                        + "data section of ")
                .hasMessageEndingWith("(truncated file?)");
    }

    @Test
    void rejectsAHeaderLengthLargerThanTheFile() throws Exception {
        Model model = TestModels.sharedSpder();
        byte[] weights = ModelFiles.toSafeTensors(model, DType.F64);
        ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN).putLong(0, weights.length);

        assertThatThrownBy(() -> ModelFiles.read(ModelFiles.toJson(model), weights))
                .hasMessage("weights.safetensors: header length: expected at most " + (weights.length - 8)
                        + " bytes (the file size minus 8) but found " + weights.length);
    }

    @Test
    void prefixesModelJsonErrorsWithTheFileName() {
        Model model = TestModels.sharedSpder();
        byte[] json = new String(ModelFiles.toJson(model), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 7").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ModelFiles.read(json, ModelFiles.toSafeTensors(model, DType.F64)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json: formatVersion: expected 1 (the only version this reader supports) but found 7");
    }

    @Test
    void rejectsAnOversizedModelJsonBeforeParsingIt() {
        byte[] json = new byte[(int) ModelFiles.MAX_MODEL_JSON_BYTES + 1];

        assertThatThrownBy(() -> ModelFiles.read(json, new byte[0])).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json: expected at most 16777216 bytes but found 16777217 bytes");
    }

    private static Model model(String which) {
        return switch (which) {
            case "lrnnRegression" -> TestModels.lrnnRegression();
            case "sharedSpder" -> TestModels.sharedSpder();
            default -> TestModels.denseLrnnClassification();
        };
    }

    /** Copies of the model's tensors, in layout order. */
    private static List<Tensor> tensors(Model model) {
        return model.network().parameters().copy().tensors();
    }

    /** Writes {@code model}'s model.json with hand-made weights; both read paths must reject them alike. */
    private void assertRejected(Model model, List<Tensor> tensors, String message) {
        byte[] json = ModelFiles.toJson(model);
        byte[] weights = nanTolerantBytes(tensors);
        assertThatThrownBy(() -> ModelFiles.read(json, weights)).isInstanceOf(ModelFormatException.class)
                .hasMessage(message);
        Path dir = tmp.resolve("bad");
        assertThatThrownBy(() -> {
            Files.createDirectories(dir);
            Files.write(dir.resolve(ModelFiles.MODEL_JSON), json);
            Files.write(dir.resolve(ModelFiles.WEIGHTS), weights);
            ModelFiles.read(dir);
        }).isInstanceOf(ModelFormatException.class).hasMessage(message);
    }

    /** F64 safetensors without the writer's finiteness check, to build corrupt files. */
    private static byte[] nanTolerantBytes(List<Tensor> tensors) {
        List<Tensor> finite = new ArrayList<>();
        List<Long> poisoned = new ArrayList<>();
        long offset = 0;
        for (Tensor t : tensors) {
            Tensor copy = t.copy();
            for (int i = 0; i < copy.data().length; i++) {
                if (!Double.isFinite(copy.data()[i])) {
                    poisoned.add(offset + 8L * i);
                    copy.data()[i] = 0;
                }
            }
            finite.add(copy);
            offset += 8L * copy.data().length;
        }
        byte[] bytes = SafeTensors.toBytes(finite);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long dataStart = 8 + buffer.getLong(0);
        poisoned.forEach(at -> buffer.putDouble((int) (dataStart + at), Double.NaN));
        return bytes;
    }
}
