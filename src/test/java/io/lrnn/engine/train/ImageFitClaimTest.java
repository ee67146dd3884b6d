package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnInit;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper's image-fitting claim, tiny (the full experiment is {@code bench/claims.sh imagefit},
 * docs/results.md): on a 32 x 32 zone plate with edges, an LRNN reaches a clearly higher PSNR
 * than a ReLU MLP with more parameters after the same full-batch steps, same optimiser and seed.
 */
class ImageFitClaimTest {

    private static final int SIZE = 32;
    private static final long STEPS = 150;
    /**
     * Required PSNR lead in dB. Measured: LRNN 31.9 dB, ReLU MLP 9.7 dB (a lead of 22 dB); the same
     * LRNN at omega 1 instead of 60 reaches only 9.0 dB and fails.
     */
    private static final double MARGIN_DB = 10;
    /**
     * Required lead of UNIT_VARIANCE over UNIFORM in dB. Measured: 38.0 dB against 22.0 dB (a lead
     * of 16 dB); with the second layer at omega 1 instead of 5 the lead shrinks (study: 6 dB).
     */
    private static final double INIT_MARGIN_DB = 8;

    @Test
    void lrnnFitsAHighFrequencyImageBetterThanALargerReluMlp() {
        TrainingData image = zonePlate();
        List<LayerSpec> lrnn = List.of(new LrnnLayerSpec(16, 4, 8, UnivariateActivation.SIN, 60, false, true));
        List<LayerSpec> relu = List.of(new DenseLayerSpec(32, DenseActivation.RELU),
                new DenseLayerSpec(32, DenseActivation.RELU), new DenseLayerSpec(32, DenseActivation.RELU));

        TrainingResult lrnnResult = fit(lrnn, image, 1e-2);
        TrainingResult reluResult = fit(relu, image, 3e-3);

        assertThat(reluResult.model().network().parameters().count())
                .isGreaterThanOrEqualTo(lrnnResult.model().network().parameters().count());
        double lrnnPsnr = psnr(lrnnResult, image);
        double reluPsnr = psnr(reluResult, image);
        assertThat(lrnnPsnr).as("LRNN PSNR %s dB vs ReLU MLP %s dB", lrnnPsnr, reluPsnr)
                .isGreaterThan(reluPsnr + MARGIN_DB);
    }

    /**
     * The initialisation study's guard (docs/results.md, "Initialisation study"): a two-layer SPDER
     * LRNN started with {@link LrnnInit#UNIT_VARIANCE} (Var[g] = 1) fits clearly better in the same
     * steps than with LRNN.md's uniform v, which gives SPDER's functions a variance of about 16 at omega0 30.
     * Measured: see INIT_MARGIN_DB; the test fails if UNIT_VARIANCE stops scaling v down.
     */
    @Test
    void unitVarianceInitialisationFitsATwoLayerSpderLrnnBetterThanUniform() {
        TrainingData image = zonePlate();
        List<LayerSpec> layers = List.of(new LrnnLayerSpec(24, 4, 1, UnivariateActivation.SPDER, 30, false, true),
                new LrnnLayerSpec(24, 4, 1, UnivariateActivation.SPDER, 5, false, true));
        double uniform = psnr(fit(layers, image, 1e-2, LrnnInit.UNIFORM), image);
        double unit = psnr(fit(layers, image, 1e-2, LrnnInit.UNIT_VARIANCE), image);
        assertThat(unit).as("UNIT_VARIANCE %s dB vs UNIFORM %s dB", unit, uniform).isGreaterThan(uniform + INIT_MARGIN_DB);
    }

    private static TrainingData zonePlate() {
        return TestImages.zonePlate(SIZE);
    }

    private static TrainingResult fit(List<LayerSpec> layers, TrainingData image, double learningRate) {
        return fit(layers, image, learningRate, LrnnInit.UNIFORM);
    }

    private static TrainingResult fit(List<LayerSpec> layers, TrainingData image, double learningRate,
                                      LrnnInit init) {
        TrainingConfig config = TrainingConfig.builder().epochs(Integer.MAX_VALUE).maxSteps(STEPS)
                .batchSize(image.rows()).learningRate(learningRate).validation(0, 0).threads(1).init(init).build();
        return new Trainer(config).train(new NetworkSpec(2, layers, 1, Task.REGRESSION), image,
                TrainingListener.NONE, () -> false);
    }

    private static double psnr(TrainingResult result, TrainingData image) {
        return TestImages.psnr(result, image);
    }
}
