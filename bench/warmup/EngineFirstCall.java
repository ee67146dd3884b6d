import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.io.ModelLimits;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;

/**
 * The engine's share of a first request: in a fresh JVM, loads the example model, optionally runs
 * the server's warm-up (ITERATIONS passes of 16 rows, batch then single-row), then times the
 * first 1-row predictRow and the first 64-row predict, and the median of 1000 more of each.
 * Run by bench/warmup.sh: java -cp target/classes:(runtime classpath) bench/warmup/EngineFirstCall.java ITERATIONS
 */
public class EngineFirstCall {
    public static void main(String[] args) throws Exception {
        int iterations = Integer.parseInt(args[0]);
        ModelLimits limits = new ModelLimits(50_000_000, 256L << 20, 1000, 1L << 28);
        Model model = ModelFiles.read(Path.of("models/demo/1"), limits);
        double[][] warm = new double[16][2];
        for (int b = 0; b < warm.length; b++) {
            warm[b] = new double[] {Math.sin(b), Math.cos(b)};
        }
        double[] out = new double[1];
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            model.predict(new DMatrixRMaj(warm));
            for (double[] row : warm) {
                model.predictRow(row, out);
            }
        }
        long warmUp = System.nanoTime() - start;
        double[] row = {0.25, -0.5};
        DMatrixRMaj batch = new DMatrixRMaj(64, 2);
        for (int e = 0; e < batch.data.length; e++) {
            batch.data[e] = Math.sin(e * 0.37);
        }
        long t = System.nanoTime();
        model.predictRow(row, out);
        long first1 = System.nanoTime() - t;
        t = System.nanoTime();
        model.predict(batch);
        long first64 = System.nanoTime() - t;
        long[] one = new long[1000];
        long[] many = new long[1000];
        for (int i = 0; i < one.length; i++) {
            t = System.nanoTime();
            model.predictRow(row, out);
            one[i] = System.nanoTime() - t;
            t = System.nanoTime();
            model.predict(batch);
            many[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(one);
        java.util.Arrays.sort(many);
        System.out.printf("iterations=%d warm-up=%.1fms first-1=%.1fus steady-1=%.1fus first-64=%.1fus "
                + "steady-64=%.1fus%n", iterations, warmUp / 1e6, first1 / 1e3, one[500] / 1e3, first64 / 1e3,
                many[500] / 1e3);
    }
}
