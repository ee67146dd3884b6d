package io.lrnn.server.predict;

import io.lrnn.engine.Model;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelNotFoundException;
import io.lrnn.server.models.ModelRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Service;

/**
 * Resolves the model version once per request, checks the rows (count, width, finiteness), runs
 * the engine (the single-row path for one row) and records latency, outcome and batch size.
 */
@Service
public class PredictionService {

    private final ModelRegistry registry;
    private final int maxBatch;
    private final MeterRegistry meters;

    public PredictionService(ModelRegistry registry, LrnnProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.maxBatch = properties.predict().maxBatch();
        this.meters = meters;
    }

    /**
     * Predicts for the rows that {@code parse} reads from the request, given the resolved model.
     *
     * @param api     "native" or "v2", a metric tag
     * @param version null for the default version
     */
    public Prediction predict(String api, String name, String version, Function<LoadedModel, double[][]> parse) {
        long start = System.nanoTime();
        String outcome = "error";
        String modelTag = "unknown";
        try {
            LoadedModel loaded = registry.resolve(name, version);
            modelTag = loaded.name();
            double[][] rows = parse.apply(loaded);
            check(rows, loaded.model());
            Prediction prediction = new Prediction(loaded, run(loaded.model(), rows));
            DistributionSummary.builder("lrnn.predict.rows").description("Rows per predict request")
                    .tag("model", modelTag).register(meters).record(rows.length);
            outcome = "success";
            return prediction;
        } catch (ModelNotFoundException e) {
            outcome = "not_found";
            throw e;
        } catch (InvalidInputException e) {
            outcome = "bad_request";
            throw e;
        } finally {
            Timer.builder("lrnn.predict").description("Predict latency, parsing included")
                    .tags("model", modelTag, "api", api, "outcome", outcome)
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void check(double[][] rows, Model model) {
        if (rows.length == 0) {
            throw new InvalidInputException("instances", "at least one row", "an empty batch");
        }
        if (rows.length > maxBatch) {
            throw new InvalidInputException("instances", "at most " + maxBatch + " rows (lrnn.predict.max-batch)",
                    rows.length + " rows");
        }
        int width = model.inputs().size();
        for (int b = 0; b < rows.length; b++) {
            if (rows[b].length != width) {
                throw new InvalidInputException("instances[" + b + "]", width + " values " + model.inputs(),
                        rows[b].length + " values");
            }
            for (int i = 0; i < width; i++) {
                if (!Double.isFinite(rows[b][i])) {
                    throw new InvalidInputException("instances[" + b + "][" + i + "] (" + model.inputs().get(i) + ")",
                            "a finite number", rows[b][i]);
                }
            }
        }
    }

    private static double[][] run(Model model, double[][] rows) {
        int k = model.outputs().size();
        if (rows.length == 1) {
            double[] out = new double[k];
            model.predictRow(rows[0], out);
            return new double[][] {out};
        }
        DMatrixRMaj y = model.predict(new DMatrixRMaj(rows));
        double[][] outputs = new double[rows.length][k];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(y.data, b * k, outputs[b], 0, k);
        }
        return outputs;
    }
}
