package io.lrnn.bench;

import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.train.Adam;
import io.lrnn.engine.train.BatchPass;
import io.lrnn.engine.train.Loss;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine on the reference configuration (docs/performance.md): input 2, two LRNN layers
 * r = 64, d = 4, h = 8, sin, omega 30 then 1, LayerNorm on both, per-neuron functions, a
 * regression head with 1 output; a batch of 16,384 rows, x uniform in [-1, 1]^2, target
 * sin(pi x1) cos(pi x2). Batch work runs on a ForkJoinPool of 2 threads.
 *
 * <p>{@code tools/python/bench_reference.py} times the same configuration in PyTorch, and
 * {@code bench/engine.sh} runs both and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {

    /** Rows of the full batch. */
    public static final int BATCH = ReferenceProblem.BATCH;
    /** Rows of the small-batch predict. */
    public static final int SMALL_BATCH = 64;
    /** Threads of the pool that runs the row chunks. */
    public static final int THREADS = 2;
    /** Adam's learning rate for the training step. */
    public static final double LEARNING_RATE = 1e-3;

    private ForkJoinPool pool;
    private Network network;
    private Model model;
    private DMatrixRMaj x;
    private DMatrixRMaj y;
    private DMatrixRMaj xSmall;
    private int[] rows;
    private BatchPass pass;
    private Parameters grads;
    private Adam adam;
    private double[] row;
    private double[] rowOut;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new ForkJoinPool(THREADS);
        network = Network.initialize(ReferenceProblem.spec(), 1);
        model = new Model(network, List.of("x1", "x2"), List.of("y"), null, null);
        DMatrixRMaj[] data = ReferenceProblem.data(BATCH);
        x = data[0];
        y = data[1];
        xSmall = new DMatrixRMaj(SMALL_BATCH, 2);
        System.arraycopy(x.data, 0, xSmall.data, 0, SMALL_BATCH * 2);
        rows = ReferenceProblem.allRows(BATCH);
        pass = new BatchPass(network, Loss.MSE, pool);
        grads = Parameters.zeros(network.parameters().tensors());
        adam = new Adam(network.parameters(), 0);
        row = new double[] {0.25, -0.5};
        rowOut = new double[1];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdown();
    }

    /** (a) Forward pass of the 16,384-row batch on the 2-thread pool. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 3)
    public DMatrixRMaj forwardBatch() {
        return network.predict(x, pool);
    }

    /** (b) One full-batch training step: MSE loss and gradient over 16,384 rows, then Adam. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 3)
    public double trainStep() {
        double loss = pass.lossAndGradient(x, y, rows, BATCH, grads);
        adam.step(grads, LEARNING_RATE);
        return loss;
    }

    /** (c) Single-row latency through the serving path (normalisation, per-thread workspace). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public double predictRow() {
        model.predictRow(row, rowOut);
        return rowOut[0];
    }

    /** (d) A 64-row batch through the serving path (one chunk, so the calling thread). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public DMatrixRMaj predictSmallBatch() {
        return model.predict(xSmall);
    }
}
