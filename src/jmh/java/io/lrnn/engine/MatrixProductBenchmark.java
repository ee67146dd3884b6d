package io.lrnn.engine;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's matrix product ({@link Affine#multiply}) against EJML's on the shapes of the
 * reference configuration's second layer, one 256-row block: the forward projection
 * (256 x 64 times 64 x 256), the weight gradient (256 x 256 times 256 x 64, accumulated) and the
 * input gradient (the transpose of 256 x 256, times 256 x 64). 4.19 M multiply-adds each; run
 * with {@code -jvmArgsAppend -XX:-UseFMA} to see the engine's product without fused multiply-adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatrixProductBenchmark {

    private DMatrixRMaj weight;
    private DMatrixRMaj inputT;
    private DMatrixRMaj input;
    private DMatrixRMaj gradOutT;
    private DMatrixRMaj pre;
    private DMatrixRMaj gradWeight;
    private DMatrixRMaj gradIn;

    @Setup
    public void setUp() {
        Random random = new Random(5);
        weight = RandomMatrices_DDRM.rectangle(256, 64, -1, 1, random);
        input = RandomMatrices_DDRM.rectangle(256, 64, -1, 1, random);
        inputT = CommonOps_DDRM.transpose(input, null);
        gradOutT = RandomMatrices_DDRM.rectangle(256, 256, -1, 1, random);
        pre = new DMatrixRMaj(256, 256);
        gradWeight = new DMatrixRMaj(256, 64);
        gradIn = new DMatrixRMaj(256, 64);
    }

    @Benchmark
    public DMatrixRMaj forwardEjml() {
        CommonOps_DDRM.mult(weight, inputT, pre);
        return pre;
    }

    @Benchmark
    public DMatrixRMaj forwardEngine() {
        Affine.multiply(weight.data, 64, 1, inputT.data, pre.data, 256, 256, 64, false);
        return pre;
    }

    @Benchmark
    public DMatrixRMaj weightGradientEjml() {
        CommonOps_DDRM.multAdd(gradOutT, input, gradWeight);
        return gradWeight;
    }

    @Benchmark
    public DMatrixRMaj weightGradientEngine() {
        Affine.multiply(gradOutT.data, 256, 1, input.data, gradWeight.data, 256, 64, 256, true);
        return gradWeight;
    }

    @Benchmark
    public DMatrixRMaj inputGradientEjml() {
        CommonOps_DDRM.multTransA(gradOutT, weight, gradIn);
        return gradIn;
    }

    @Benchmark
    public DMatrixRMaj inputGradientEngine() {
        Affine.multiply(gradOutT.data, 1, 256, weight.data, gradIn.data, 256, 64, 256, false);
        return gradIn;
    }
}
