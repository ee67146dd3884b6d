package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.train.Trainer;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingListener;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Regression guard of the model-quality study (docs/results.md, "Model-quality study"): the
 * {@code signal} preset, resolved as for a request without architecture or training settings (the
 * preset's layers and hyper-parameters through {@link TrainingPlan}'s own translation), fits a 32 x 32
 * zone plate with edges to at least {@link #MIN_PSNR_DB} in the preset's own budget (300 full-batch
 * steps here: its batch of 1,024 rows is the whole image). Measured: see MIN_PSNR_DB; a regression of
 * the recipe (the second layer back at omega 1, LayerNorm off, the rate or schedule changed for the
 * worse) or of the engine's gradients breaks it.
 */
class SignalPresetFitTest {

    private static final int SIZE = 32;
    /**
     * Measured: 149.5 dB with the preset (lr 3e-3); 110.0 dB with its second layer at omega 1 (the
     * preset before the initialisation study) at the same rate, 63.7 dB at its former 1e-3: both fail
     * this bound, which leaves about 20 dB for the last bits that differ between machines.
     */
    private static final double MIN_PSNR_DB = 130;

    @Test
    void signalPresetFitsASmallZonePlate() {
        TrainingData image = zonePlate();
        List<TrainingRequest.Layer> layers = Presets.architecture("signal").layers().stream().map(Presets::layer)
                .toList();
        List<LayerSpec> specs = TrainingPlan.layers(layers);
        TrainingConfig config = TrainingPlan.config(Presets.training("signal", null), 1, image.rows());
        assertThat(config.batchSize()).isGreaterThanOrEqualTo(image.rows());

        var result = new Trainer(config).train(new NetworkSpec(2, specs, 1, Task.REGRESSION), image,
                TrainingListener.NONE, () -> false);

        double psnr = psnr(result.model().predict(image.features()), image);
        assertThat(psnr).as("signal preset PSNR on a 32 x 32 zone plate").isGreaterThanOrEqualTo(MIN_PSNR_DB);
    }

    /**
     * 0.5 + 0.5 cos(12 (x^2 + y^2)) on a 32 x 32 grid over [-1, 1]^2, inverted inside the square
     * |x - 0.45| < 0.3, |y + 0.45| < 0.3 (the image of the engine's ImageFitClaimTest).
     */
    static TrainingData zonePlate() {
        DMatrixRMaj x = new DMatrixRMaj(SIZE * SIZE, 2);
        DMatrixRMaj y = new DMatrixRMaj(SIZE * SIZE, 1);
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double u = -1 + 2.0 * col / (SIZE - 1);
                double v = -1 + 2.0 * row / (SIZE - 1);
                double grey = 0.5 + 0.5 * Math.cos(12 * (u * u + v * v));
                if (Math.abs(u - 0.45) < 0.3 && Math.abs(v + 0.45) < 0.3) {
                    grey = 1 - grey;
                }
                x.set(row * SIZE + col, 0, u);
                x.set(row * SIZE + col, 1, v);
                y.set(row * SIZE + col, 0, grey);
            }
        }
        return new TrainingData(x, y, List.of("x", "y"), List.of("grey"), null);
    }

    /** PSNR in dB over all pixels, predictions clipped to [0, 1]. */
    static double psnr(DMatrixRMaj predicted, TrainingData image) {
        double sum = 0;
        for (int b = 0; b < image.rows(); b++) {
            double error = Math.min(1, Math.max(0, predicted.get(b, 0))) - image.targets().get(b, 0);
            sum += error * error;
        }
        return 10 * Math.log10(image.rows() / sum);
    }
}
