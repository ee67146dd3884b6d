package io.lrnn.bench;

import io.lrnn.engine.FastTrig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per sine over a block of 256 arguments in [-60, 60] (the range of a first layer
 * with omega 30): {@code Math.sin}, the engine's {@link FastTrig} (double), and a float32 kernel
 * of the same construction (reduction by pi in two parts, degree-9 polynomial, at most 3.6e-6
 * absolute error over [-60, 60]) written here only to measure what a float32 path would gain
 * (docs/performance.md, "float32").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SineBenchmark {

    private static final int N = 256;
    private static final float INV_PI = (float) (1 / Math.PI);
    private static final float PI_HI = 3.140625f;
    private static final float PI_LO = (float) (Math.PI - 3.140625);
    /** 1.5 * 2^23: adding and subtracting it rounds a float to an integer. */
    private static final float ROUND = 12582912f;

    private final double[] x = new double[N];
    private final double[] out = new double[N];
    private final float[] xf = new float[N];
    private final float[] outf = new float[N];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < N; i++) {
            x[i] = 60 * (2 * random.nextDouble() - 1);
            xf[i] = (float) x[i];
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] mathSin() {
        for (int i = 0; i < N; i++) {
            out[i] = Math.sin(x[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] fastTrigDouble() {
        FastTrig.sin(x, out, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] float32Kernel() {
        for (int i = 0; i < N; i++) {
            float v = xf[i];
            float k = (v * INV_PI + ROUND) - ROUND;
            float r = (v - k * PI_HI) - k * PI_LO;
            float half = 0.5f * k;
            float odd = half - ((half + ROUND) - ROUND);
            float sign = 1 - 8 * odd * odd;
            float r2 = r * r;
            float p = 2.7557319e-6f;
            p = p * r2 - 1.98412698e-4f;
            p = p * r2 + 8.33333333e-3f;
            p = p * r2 - 0.166666667f;
            outf[i] = sign * (r + r * r2 * p);
        }
        return outf;
    }
}
