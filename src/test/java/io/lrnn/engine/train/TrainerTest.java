package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.SpecException;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static final NetworkSpec REGRESSION = new NetworkSpec(2, List.of(
            new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SIN, 1.0, false, true)), 1, Task.REGRESSION);

    /** y = 10 + 5 x1 x2 on 400 rows, in raw units far from standardised ones. */
    static TrainingData product(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(rows, 2);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            x.set(b, 0, 2 * random.nextDouble() - 1);
            x.set(b, 1, 100 * random.nextDouble());
            y.set(b, 0, 10 + 5 * x.get(b, 0) * (x.get(b, 1) / 50 - 1));
        }
        return new TrainingData(x, y, List.of("a", "b"), List.of("y"), "sha256:test");
    }

    static TrainingConfig.Builder quick() {
        return TrainingConfig.builder().epochs(5).batchSize(64).learningRate(0.01).validation(0.2, 0).threads(1);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsWhateverTheThreadCount() {
        TrainingData data = product(400, 1);
        Parameters one = train(quick().threads(1).build(), data).network().parameters();
        Parameters again = train(quick().threads(1).build(), data).network().parameters();
        Parameters twoThreads = train(quick().threads(2).batchSize(400).build(), data).network().parameters();
        Parameters twoThreadsAgain = train(quick().threads(1).batchSize(400).build(), data).network().parameters();
        Parameters otherSeed = train(quick().seed(7).build(), data).network().parameters();
        for (int t = 0; t < one.size(); t++) {
            assertThat(again.get(t).data()).as(one.get(t).name()).isEqualTo(one.get(t).data());
            assertThat(twoThreads.get(t).data()).as(one.get(t).name()).isEqualTo(twoThreadsAgain.get(t).data());
        }
        assertThat(otherSeed.get(0).data()).isNotEqualTo(one.get(0).data());
    }

    @Test
    void learnsInRawUnitsThanksToStoredStandardisation() {
        TrainingData data = product(400, 2);
        Model model = train(quick().epochs(60).validation(0, 0).build(), data);
        DMatrixRMaj predicted = model.predict(data.features());
        double mse = 0;
        double variance = 0;
        for (int b = 0; b < data.rows(); b++) {
            mse += Math.pow(predicted.get(b, 0) - data.targets().get(b, 0), 2);
            variance += Math.pow(data.targets().get(b, 0) - 10, 2);
        }
        assertThat(mse / variance).as("MSE relative to the target variance").isLessThan(0.05);
        assertThat(model.normalization().inputMean()[1]).isBetween(40.0, 60.0);
    }

    @Test
    void reportsProgressWithValidationAtEachEpochEnd() {
        List<TrainingProgress> reports = new ArrayList<>();
        TrainingResult result = new Trainer(quick().progressEvery(2).build())
                .train(REGRESSION, product(400, 3), reports::add, () -> false);
        // 320 training rows in batches of 64: 5 steps per epoch, 25 in all.
        assertThat(result.steps()).isEqualTo(25);
        assertThat(result.history()).hasSize(5).allMatch(TrainingProgress::hasValidation);
        assertThat(reports).extracting(TrainingProgress::step).isSorted().contains(2L, 5L, 24L, 25L);
        assertThat(reports).allMatch(p -> p.totalSteps() == 25 && Double.isFinite(p.trainLoss()));
        assertThat(result.history().get(4).validationLoss()).isLessThan(result.history().get(0).validationLoss());
        assertThat(result.bestValidationLoss())
                .isEqualTo(result.history().stream().mapToDouble(TrainingProgress::validationLoss).min().orElseThrow());
    }

    @Test
    void maxStepsCapsTheRun() {
        TrainingResult result = new Trainer(quick().maxSteps(7).build())
                .train(REGRESSION, product(400, 3), TrainingListener.NONE, () -> false);
        assertThat(result.steps()).isEqualTo(7);
    }

    @Test
    void stopsEarlyWhenValidationStopsImprovingAndKeepsTheBestParameters() {
        // Pure noise targets: validation loss cannot keep improving.
        SplittableRandom random = new SplittableRandom(4);
        DMatrixRMaj x = new DMatrixRMaj(200, 2);
        DMatrixRMaj y = new DMatrixRMaj(200, 1);
        for (int i = 0; i < 400; i++) {
            x.data[i] = random.nextGaussian();
        }
        for (int i = 0; i < 200; i++) {
            y.data[i] = random.nextGaussian();
        }
        TrainingData data = new TrainingData(x, y, List.of("a", "b"), List.of("y"), null);
        TrainingResult result = new Trainer(quick().epochs(500).learningRate(0.05).validation(0.3, 3).build())
                .train(REGRESSION, data, TrainingListener.NONE, () -> false);
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.history().size()).isLessThan(500);
        assertThat(result.history().get(result.history().size() - 1).validationLoss())
                .isGreaterThan(result.bestValidationLoss());
    }

    @Test
    void cancellationStopsAtTheNextStep() {
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> new Trainer(quick().build())
                .train(REGRESSION, product(400, 5), TrainingListener.NONE, () -> checks.incrementAndGet() > 3))
                .isInstanceOf(TrainingCancelledException.class).hasMessage("training cancelled at step 3");
    }

    @Test
    void divergenceIsReportedNotTurnedIntoANanModel() {
        TrainingData data = product(100, 6);
        data.targets().data[0] = 1e300;
        TrainingConfig config = quick().standardizeTargets(false).validation(0, 0).build();
        assertThatThrownBy(() -> new Trainer(config).train(REGRESSION, data, TrainingListener.NONE, () -> false))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training diverged at step 1").hasMessageContaining("Infinity");
    }

    @Test
    void classificationLearnsTwoSeparableClasses() {
        SplittableRandom random = new SplittableRandom(8);
        DMatrixRMaj x = new DMatrixRMaj(300, 2);
        DMatrixRMaj y = new DMatrixRMaj(300, 1);
        for (int b = 0; b < 300; b++) {
            x.set(b, 0, random.nextGaussian());
            x.set(b, 1, random.nextGaussian());
            y.set(b, 0, x.get(b, 0) * x.get(b, 1) > 0 ? 1 : 0);
        }
        NetworkSpec spec = new NetworkSpec(2, List.of(new DenseLayerSpec(8, DenseActivation.TANH),
                new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SIN, 1.0, false, true)), 2, Task.CLASSIFICATION);
        TrainingResult result = new Trainer(quick().epochs(40).build())
                .train(spec, new TrainingData(x, y, List.of("a", "b"), List.of("odd", "even"), null),
                        TrainingListener.NONE, () -> false);
        TrainingProgress last = result.history().get(result.history().size() - 1);
        assertThat(last.validationAccuracy()).isGreaterThan(0.85);
        DMatrixRMaj probabilities = result.model().predict(x);
        assertThat(probabilities.get(0, 0) + probabilities.get(0, 1)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void rejectsDataThatDoesNotFitTheSpec() {
        DMatrixRMaj x = new DMatrixRMaj(4, 2);
        DMatrixRMaj labels = new DMatrixRMaj(new double[][] {{0}, {1}, {2}, {1}});
        NetworkSpec spec = new NetworkSpec(2, REGRESSION.layers(), 2, Task.CLASSIFICATION);
        TrainingData data = new TrainingData(x, labels, List.of("a", "b"), List.of("no", "yes"), null);
        assertThatThrownBy(() -> new Trainer(quick().build()).train(spec, data, TrainingListener.NONE, () -> false))
                .isInstanceOf(SpecException.class)
                .hasMessage("targets[2]: expected a class index in [0, 2) but found 2.0");
        x.set(1, 1, Double.NaN);
        assertThatThrownBy(() -> new TrainingData(x, labels, List.of("a", "b"), List.of("no", "yes"), null))
                .hasMessage("features[1][1]: expected a finite number but found NaN");
    }

    private static Model train(TrainingConfig config, TrainingData data) {
        return new Trainer(config).train(REGRESSION, data, TrainingListener.NONE, () -> false).model();
    }
}
