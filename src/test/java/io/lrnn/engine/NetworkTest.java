package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class NetworkTest {

    static final NetworkSpec SPEC = new NetworkSpec(3, List.of(
            new LrnnLayerSpec(16, 4, 8, UnivariateActivation.SIN, 30.0, false, true),
            new DenseLayerSpec(8, DenseActivation.TANH),
            new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SPDER, 1.0, true, false)), 2, Task.REGRESSION);

    @Test
    void singleRowBatchedAndParallelPathsAgreeExactly() {
        Network network = Network.initialize(SPEC, 1);
        DMatrixRMaj x = NetworkGradientTest.randomMatrix(1000, 3, new SplittableRandom(2));
        DMatrixRMaj sequential = network.predict(x);
        ForkJoinPool pool = new ForkJoinPool(2);
        DMatrixRMaj parallel = network.predict(x, pool);
        pool.shutdown();
        assertThat(parallel.data).isEqualTo(sequential.data);
        double[] out = new double[2];
        for (int b = 0; b < x.numRows; b += 37) {
            network.predictRow(new double[] {x.get(b, 0), x.get(b, 1), x.get(b, 2)}, out);
            assertThat(out).as("row %d", b).containsExactly(sequential.get(b, 0), sequential.get(b, 1));
        }
    }

    @Test
    void concurrentCallersOnOneNetworkGetTheirOwnAnswers() throws Exception {
        Network network = Network.initialize(SPEC, 3);
        DMatrixRMaj x = NetworkGradientTest.randomMatrix(400, 3, new SplittableRandom(4));
        DMatrixRMaj expected = network.predict(x);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            Callable<Integer> caller = () -> {
                int mismatches = 0;
                double[] out = new double[2];
                for (int rep = 0; rep < 20; rep++) {
                    for (int b = offset; b < x.numRows; b += 8) {
                        network.predictRow(new double[] {x.get(b, 0), x.get(b, 1), x.get(b, 2)}, out);
                        mismatches += out[0] == expected.get(b, 0) && out[1] == expected.get(b, 1) ? 0 : 1;
                    }
                    DMatrixRMaj batch = network.predict(x);
                    mismatches += java.util.Arrays.equals(batch.data, expected.data) ? 0 : 1;
                }
                return mismatches;
            };
            results.add(threads.submit(caller));
        }
        for (Future<Integer> result : results) {
            assertThat(result.get()).isZero();
        }
        threads.shutdown();
    }

    @Test
    void parametersThatDoNotFitTheSpecAreRejectedByName() {
        List<Tensor> tensors = new ArrayList<>(Network.layout(SPEC));
        tensors.set(2, Tensor.zeros("layers.0.g.a", 16, 4, 7));
        assertThatThrownBy(() -> new Network(SPEC, new Parameters(tensors)))
                .isInstanceOf(SpecException.class)
                .hasMessage("layers.0.g.a: expected shape [16, 4, 8] but found [16, 4, 7]");
        List<Tensor> missing = Network.layout(SPEC).subList(0, 3);
        assertThatThrownBy(() -> new Network(SPEC, new Parameters(missing)))
                .hasMessage("layers.0.g.c: expected a tensor of shape [16, 4, 8] but found none");
        List<Tensor> extra = new ArrayList<>(Network.layout(SPEC));
        extra.add(Tensor.zeros("layers.9.weight", 1));
        assertThatThrownBy(() -> new Network(SPEC, new Parameters(extra)))
                .hasMessage("tensors: expected 18 tensors but found 19 (unexpected layers.9.weight)");
    }

    @Test
    void inputsOfTheWrongWidthAreRejectedWithBothCounts() {
        Network network = Network.initialize(SPEC, 1);
        assertThatThrownBy(() -> network.predictRow(new double[] {1, 2}, new double[2]))
                .isInstanceOf(SpecException.class).hasMessage("input: expected 3 values but found 2");
        assertThatThrownBy(() -> network.predict(new DMatrixRMaj(4, 5)))
                .isInstanceOf(SpecException.class).hasMessage("input: expected 3 columns but found 5");
    }

    @Test
    void specsNameTheFieldThatIsOutOfRange() {
        assertThatThrownBy(() -> new LrnnLayerSpec(0, 4, 8, UnivariateActivation.SIN, 1, false, false))
                .hasMessage("width: expected a positive integer but found 0");
        assertThatThrownBy(() -> new LrnnLayerSpec(4, 4, 8, UnivariateActivation.SIN, Double.NaN, false, false))
                .hasMessage("omega: expected a finite number > 0 but found NaN");
        assertThatThrownBy(() -> new NetworkSpec(2, SPEC.layers(), 1, Task.CLASSIFICATION))
                .hasMessage("outputSize: expected at least 2 classes for classification but found 1");
        assertThatThrownBy(() -> new NetworkSpec(2, List.of(), 1, Task.REGRESSION))
                .hasMessage("layers: expected at least one layer but found []");
        assertThatThrownBy(() -> new DenseLayerSpec(4, DenseActivation.IDENTITY))
                .hasMessage("activation: expected tanh, relu or sine but found IDENTITY");
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        Parameters a = Network.initialize(SPEC, 5).parameters();
        Parameters b = Network.initialize(SPEC, 5).parameters();
        Parameters c = Network.initialize(SPEC, 6).parameters();
        for (int t = 0; t < a.size(); t++) {
            assertThat(b.get(t).data()).isEqualTo(a.get(t).data());
        }
        assertThat(c.get(0).data()).isNotEqualTo(a.get(0).data());
    }

    @Test
    void initialisationFollowsTheDesign() {
        Parameters p = Network.initialize(SPEC, 7).parameters();
        double glorot = Math.sqrt(6.0 / (3 + 4));
        assertThat(maxAbs(p.get("layers.0.proj.weight").data())).isBetween(0.9 * glorot, glorot);
        assertThat(maxAbs(p.get("layers.0.g.a").data())).isBetween(0.9, 1.0);
        assertThat(maxAbs(p.get("layers.0.g.c").data())).isBetween(0.9, 1.0);
        assertThat(maxAbs(p.get("layers.0.g.v").data())).isBetween(0.9 * Math.sqrt(6.0 / 8), Math.sqrt(6.0 / 8));
        assertThat(p.get("layers.0.proj.bias").data()).containsOnly(0.0);
        assertThat(p.get("layers.0.g.e").data()).containsOnly(0.0);
        assertThat(p.get("layers.0.norm.weight").data()).containsOnly(1.0);
        assertThat(p.get("layers.0.norm.bias").data()).containsOnly(0.0);
        assertThat(p.get("head.bias").data()).containsOnly(0.0);
    }

    private static double maxAbs(double[] values) {
        return java.util.Arrays.stream(values).map(Math::abs).max().orElseThrow();
    }
}
