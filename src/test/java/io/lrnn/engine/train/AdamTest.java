package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lrnn.engine.Parameters;
import io.lrnn.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam's step against the update written out by hand, and its per-tensor rate scale. */
class AdamTest {

    static final double TOLERANCE = 1e-15;

    static Parameters params() {
        return new Parameters(List.of(new Tensor("layers.0.w", new int[] {2}, new double[] {0.5, -1.0}),
                new Tensor("layers.0.bias", new int[] {1}, new double[] {2.0})));
    }

    static Parameters grads() {
        return new Parameters(List.of(new Tensor("layers.0.w", new int[] {2}, new double[] {0.25, -4.0}),
                new Tensor("layers.0.bias", new int[] {1}, new double[] {1.0})));
    }

    @Test
    void theFirstStepMovesEachWeightByTheRateAgainstTheSignOfItsGradient() {
        // After one step the bias-corrected moments are g and g^2, so the update is lr g / (|g| + eps).
        Parameters p = params();
        new Adam(p, 0).step(grads(), 0.01);
        assertThat(p.get(0).data()[0]).isCloseTo(0.5 - 0.01 * 0.25 / (0.25 + Adam.EPS), within(TOLERANCE));
        assertThat(p.get(0).data()[1]).isCloseTo(-1.0 + 0.01 * 4.0 / (4.0 + Adam.EPS), within(TOLERANCE));
        assertThat(p.get(1).data()[0]).isCloseTo(2.0 - 0.01 * 1.0 / (1.0 + Adam.EPS), within(TOLERANCE));
    }

    @Test
    void aRateScalePerTensorScalesOnlyThatTensorsStep() {
        Parameters plain = params();
        Parameters scaled = params();
        Adam a = new Adam(plain, 0);
        Adam b = new Adam(scaled, 0);
        for (int step = 0; step < 3; step++) {
            a.step(grads(), 0.01);
            b.step(grads(), 0.01, new double[] {1.0, 0.0});
        }
        assertThat(scaled.get(0).data()).containsExactly(plain.get(0).data());
        assertThat(scaled.get(1).data()).containsExactly(2.0);
        assertThat(plain.get(1).data()[0]).isLessThan(2.0);
    }
}
