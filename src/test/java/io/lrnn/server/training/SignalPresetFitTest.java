package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.train.TestImages;
import io.lrnn.engine.train.Trainer;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingListener;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression guard of the model-quality study (docs/results.md, "Model-quality study"): the
 * {@code signal} preset, resolved as for a request without architecture or training settings (the
 * preset's layers and hyper-parameters through {@link TrainingPlan}'s own translation), fits a
 * 32 x 32 zone plate with edges ({@link TestImages#zonePlate}) to at least {@link #MIN_PSNR_DB} in
 * the preset's own budget (300 full-batch steps here: its batch of 1,024 rows is the whole image). Measured: see MIN_PSNR_DB; a regression of
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
        TrainingData image = TestImages.zonePlate(SIZE);
        List<TrainingRequest.Layer> layers = Presets.architecture("signal").layers().stream().map(Presets::layer)
                .toList();
        List<LayerSpec> specs = TrainingPlan.layers(layers);
        TrainingConfig config = TrainingPlan.config(Presets.training("signal", null), 1, image.rows());
        assertThat(config.batchSize()).isGreaterThanOrEqualTo(image.rows());

        var result = new Trainer(config).train(new NetworkSpec(2, specs, 1, Task.REGRESSION), image,
                TrainingListener.NONE, () -> false);

        double psnr = TestImages.psnr(result, image);
        assertThat(psnr).as("signal preset PSNR on a 32 x 32 zone plate").isGreaterThanOrEqualTo(MIN_PSNR_DB);
    }
}
