package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.Normalization;
import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a version's synthetic rows through the engine before the version is served, so the first
 * requests do not pay for the JIT's compilation of the hot code: each iteration predicts the rows
 * as one batch ({@link Model#predict}) and then one by one ({@link Model#predictRow}), the two paths
 * that serve requests. The rows are deterministic: the inputs' means (zero once standardised),
 * then rows drawn with a fixed seed within two standard deviations of them. An output that is not
 * finite, or an engine error, refuses the version. Each warm-up is timed as
 * {@code lrnn.models.warm-up} (by model and outcome) and logged.
 */
@Component
public class ModelWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ModelWarmUp.class);
    private static final long SEED = 0x5EED;

    private final int iterations;
    private final int rows;
    private final long maxNanos;
    private final MeterRegistry meters;

    ModelWarmUp(LrnnProperties properties, MeterRegistry meters) {
        LrnnProperties.WarmUp settings = properties.models().warmUp();
        this.iterations = settings.iterations();
        this.rows = Math.min(settings.rows(), properties.predict().maxBatch());
        this.maxNanos = settings.maxDuration().toNanos();
        this.meters = meters;
    }

    /**
     * Warms {@code model} up; does nothing when the iterations are 0.
     *
     * @throws InvalidModelException if an output is not finite or the engine fails (the message says which)
     */
    void run(String name, String version, Model model) {
        if (iterations == 0) {
            return;
        }
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            double[][] synthetic = rows(model.normalization(), rows);
            DMatrixRMaj batch = new DMatrixRMaj(synthetic);
            double[] out = new double[model.outputs().size()];
            int done = 0;
            while (done < iterations && System.nanoTime() - start < maxNanos) {
                DMatrixRMaj y = model.predict(batch);
                for (int b = 0; b < synthetic.length; b++) {
                    check(y.data, b * out.length, out.length, model, "batch", b);
                    model.predictRow(synthetic[b], out);
                    check(out, 0, out.length, model, "single-row", b);
                }
                done++;
            }
            outcome = "success";
            log.info("Model {} version {} warmed up in {} ms: {} of {} iterations of {} rows, batch and single-row",
                    name, version, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), done, iterations,
                    synthetic.length);
        } catch (InvalidModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidModelException("warm-up: expected the engine to predict synthetic rows but it failed: "
                    + e, e);
        } finally {
            Timer.builder("lrnn.models.warm-up").description("Warm-up of a model version before it is served")
                    .tags("model", name, "outcome", outcome).register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code count} synthetic rows: the inputs' means, then seeded rows within two standard deviations. */
    public static double[][] rows(Normalization normalization, int count) {
        double[] mean = normalization.inputMean();
        double[] std = normalization.inputStd();
        SplittableRandom random = new SplittableRandom(SEED);
        double[][] rows = new double[count][mean.length];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < mean.length; i++) {
                rows[b][i] = b == 0 ? mean[i] : mean[i] + std[i] * random.nextDouble(-2, 2);
            }
        }
        return rows;
    }

    private static void check(double[] y, int offset, int k, Model model, String path, int row) {
        for (int o = 0; o < k; o++) {
            if (!Double.isFinite(y[offset + o])) {
                throw new InvalidModelException("warm-up: expected finite outputs but the " + path + " path gave "
                        + model.outputs().get(o) + " = " + y[offset + o] + " for synthetic row " + row);
            }
        }
    }
}
