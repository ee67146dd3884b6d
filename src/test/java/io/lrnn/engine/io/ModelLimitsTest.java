package io.lrnn.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Footprint;
import io.lrnn.engine.Model;
import io.lrnn.engine.io.SafeTensors.DType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Model limits are checked from model.json alone, before anything of the declared size is allocated. */
class ModelLimitsTest {

    /** Two dense layers of width 30,000 (900 million weights between them) and an 8-byte weights file. */
    static final String HUGE_DENSE = """
            {"format": "lrnn-model", "formatVersion": 1, "task": "regression", "inputs": ["x"], "outputs": ["y"],
             "layers": [{"type": "dense", "width": 30000, "activation": "tanh"},
                        {"type": "dense", "width": 30000, "activation": "tanh"}]}""";
    static final byte[] EIGHT_BYTES = {2, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void aTinyFileDeclaringAHugeNetworkFailsAtOnceWithoutAllocatingIt() {
        byte[] json = HUGE_DENSE.getBytes(StandardCharsets.UTF_8);
        assertThat(json.length).isLessThan(400);
        assertThatThrownBy(() -> ModelFiles.read(json, EIGHT_BYTES))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json: layers[1].width: expected at most 50000000 parameters in the network "
                        + "(limit max-parameters) but found 900090000 up to this layer, 900030000 of them in this "
                        + "one (dense width 30000 on 30000 inputs)");
        // Declared: 7.2 GB of weights. Once the classes are loaded (above), a read allocates some kB.
        long before = allocatedBytes();
        assertThatThrownBy(() -> ModelFiles.read(json, EIGHT_BYTES)).isInstanceOf(ModelFormatException.class);
        assertThat(allocatedBytes() - before).isLessThan(1L << 20);
    }

    @Test
    void theLayerWorkingSetIsBoundedEvenWhenParametersAreFew() {
        // r x d = 4 million: few parameters per input, but a 256-row block holds 2 x 4M x 256 values.
        String json = """
                {"format": "lrnn-model", "formatVersion": 1, "task": "regression", "inputs": ["x"], "outputs": ["y"],
                 "layers": [{"type": "lrnn", "width": 2000, "projection": 2000, "hidden": 1, "sharedFunctions": true}]}""";
        ModelLimits limits = new ModelLimits(1_000_000_000L, 256L << 20, 1, Long.MAX_VALUE);
        assertThatThrownBy(() -> ModelFiles.read(json.getBytes(StandardCharsets.UTF_8), EIGHT_BYTES, limits))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model.json: layers[0].width: expected a working set of at most 268435456 "
                        + "bytes for a block of 256 rows (limit max-layer-working-set) but found ")
                .hasMessageEndingWith(" bytes (lrnn width 2000 x projection 2000 x hidden 1 on 1 inputs)");
    }

    @Test
    void productsPastIntAndLongRangeAreMessagesNotOverflows() {
        // r x d x h = 2^31 x 2^31 x 2^31 / ... : wraps to a small or negative int if computed in int.
        String json = """
                {"format": "lrnn-model", "formatVersion": 1, "task": "regression", "inputs": ["x"], "outputs": ["y"],
                 "layers": [{"type": "lrnn", "width": 2147483647, "projection": 2147483647, "hidden": 2147483647}]}""";
        assertThatThrownBy(() -> ModelFiles.read(json.getBytes(StandardCharsets.UTF_8), EIGHT_BYTES))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json: layers[0]: width x projection x hidden: expected at most 2147483647 but "
                        + "found 9903520300447984150353281023");
        assertThat(Footprint.multiply(Long.MAX_VALUE / 2, 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(Footprint.multiply(1L << 32, 1L << 31)).isEqualTo(Long.MAX_VALUE);
        assertThat(Footprint.multiply(1L << 31, 1L << 31)).isEqualTo(1L << 62);
        assertThat(Footprint.add(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFullPredictBatchOverItsBudgetIsRefusedWithTheEstimate() {
        Model model = TestModels.lrnnRegression();
        byte[] json = ModelFiles.toJson(model);
        byte[] weights = ModelFiles.toSafeTensors(model, DType.F64);
        long need = Footprint.predictBytes(model.spec(), 1000);
        assertThat(ModelFiles.read(json, weights, new ModelLimits(1_000_000, 1L << 30, 1000, need))).isNotNull();
        assertThatThrownBy(() -> ModelFiles.read(json, weights, new ModelLimits(1_000_000, 1L << 30, 1000, need - 1)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model.json: layers: expected a full predict batch (1000 rows) to need at most ")
                .hasMessageContaining("(" + need + " bytes)");
    }

    @Test
    void theFootprintCountsTheParametersTheLayoutHolds() {
        for (Model model : java.util.List.of(TestModels.lrnnRegression(), TestModels.sharedSpder(),
                TestModels.denseLrnnClassification())) {
            assertThat(Footprint.parameters(model.spec())).isEqualTo(model.network().parameters().count());
        }
    }

    @Test
    void theParameterLimitCountsExactlyWhatTheFileHolds() {
        Model model = TestModels.denseLrnnClassification();
        long count = model.network().parameters().count();
        assertThat(Footprint.parameters(model.spec())).isEqualTo(count);
        byte[] json = ModelFiles.toJson(model);
        byte[] weights = ModelFiles.toSafeTensors(model, DType.F32);
        assertThat(ModelFiles.read(json, weights, new ModelLimits(count, 1L << 30, 1, Long.MAX_VALUE))).isNotNull();
        assertThatThrownBy(() -> ModelFiles.read(json, weights, new ModelLimits(count - 1, 1L << 30, 1, Long.MAX_VALUE)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("expected at most " + (count - 1)
                        + " parameters in the network (limit max-parameters) but found " + count);
    }

    @Test
    void aWeightsFileIsMatchedAgainstModelJsonBeforeItsValuesAreDecoded() {
        // A header that declares the right names with the wrong shape: refused from the header alone.
        Model model = TestModels.sharedSpder();
        byte[] json = ModelFiles.toJson(model);
        Model other = TestModels.lrnnRegression();
        assertThatThrownBy(() -> ModelFiles.read(json, ModelFiles.toSafeTensors(other, DType.F64)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("weights.safetensors does not match model.json: layers.0.proj.weight: "
                        + "expected shape [24, 2] but found [24, 3]");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
