package io.lrnn.server.predict;

import io.lrnn.engine.Footprint;
import io.lrnn.engine.Model;
import io.lrnn.server.common.ProblemException;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelNotFoundException;
import io.lrnn.server.models.ModelRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Service;
import tools.jackson.core.JsonParser;

/**
 * The one predict contract of both APIs: admit the request into the memory budget (503 when it
 * is full, before a byte of the body is read), resolve the model version, read the body with the
 * API's reader (which checks count, width and finiteness as it streams), charge the engine's
 * working memory for those rows to the same budget, run the engine (the
 * single-row path for one row), refuse outputs that are not finite (422), and record latency,
 * outcome and batch size. gRPC requests, received whole, come in decoded
 * ({@link #predictDecoded}) under the same contract.
 */
@Service
public class PredictionService {

    /** How one API reads its body for a model; it answers checked rows or throws a 400. */
    @FunctionalInterface
    interface RequestReader<R extends PredictRequest> {
        R read(JsonParser body, Model model, int maxBatch);
    }

    /** How one API reads a body that is not JSON alone (the binary tensor extension's). */
    @FunctionalInterface
    interface StreamReader<R extends PredictRequest> {
        R read(InputStream body, Model model, int maxBatch);
    }

    /** A request as read and its prediction. */
    public record Answer<R extends PredictRequest>(R request, Prediction prediction) {
    }

    /**
     * Which version a request asks for: a version or label ({@code versionOrLabel}, a version
     * first), a label only ({@code label}), or neither (the traffic split, by {@code requestId}
     * when there is one, else the default version).
     */
    record Target(String versionOrLabel, String label, String requestId) {

        LoadedModel resolve(ModelRegistry registry, String name) {
            if (label != null) {
                if (versionOrLabel != null) {
                    throw new InvalidInputException("label: expected a version in the path or a label, not both, but "
                            + "found version " + versionOrLabel + " and label " + label);
                }
                return registry.resolveLabel(name, label);
            }
            return registry.resolve(name, versionOrLabel, requestId);
        }
    }

    private final ModelRegistry registry;
    private final PredictBudget budget;
    private final int maxBatch;
    private final MeterRegistry meters;

    public PredictionService(ModelRegistry registry, PredictBudget budget, LrnnProperties properties,
                             MeterRegistry meters) {
        this.registry = registry;
        this.budget = budget;
        this.maxBatch = properties.predict().maxBatch();
        this.meters = meters;
    }

    /**
     * Predicts for the request in {@code body}.
     *
     * @param api            "native" or "v2", a metric tag
     * @param target         the version, label or traffic split that answers
     * @param declaredLength the body's Content-Length, or -1 when it is not declared (chunked)
     * @param body           the body, not read yet
     */
    <R extends PredictRequest> Answer<R> predict(String api, String name, Target target, long declaredLength,
                                                 InputStream body, RequestReader<R> reader) {
        return predict(api, name, target, declaredLength, model -> {
            try (JsonParser parser = PredictJson.parser(body)) {
                return reader.read(parser, model, maxBatch);
            }
        });
    }

    /** {@link #predict}, with a reader that takes the body as bytes (the binary tensor extension's). */
    <R extends PredictRequest> Answer<R> predictStream(String api, String name, Target target, long declaredLength,
                                                       InputStream body, StreamReader<R> reader) {
        return predict(api, name, target, declaredLength, model -> reader.read(body, model, maxBatch));
    }

    /**
     * Predicts for a request that its transport received whole (gRPC): admitted by its
     * {@code size} in bytes before {@code decoder} turns its tensors into rows for the resolved
     * model (checking shapes before it allocates); the rows are then checked like a reader's
     * (1 to max-batch rows of the model's width, every value finite), and the rest is as for
     * {@link #predict(String, String, Target, long, InputStream, RequestReader) a body}.
     *
     * @param api       a metric tag, "grpc"
     * @param version   a version or label, or null for the default version (or the traffic split)
     * @param requestId the request's id, which picks its side of a traffic split; null for a random side
     */
    public <R extends PredictRequest> Answer<R> predictDecoded(String api, String name, String version,
                                                               String requestId, long size, Decoder<R> decoder) {
        return predict(api, name, new Target(version, null, requestId), size,
                model -> checkRows(decoder.decode(model, maxBatch), model));
    }

    /** Turns a request its transport received whole into checked rows for a model, or throws a 400. */
    @FunctionalInterface
    public interface Decoder<R extends PredictRequest> {
        R decode(Model model, int maxBatch);
    }

    private <R extends PredictRequest> Answer<R> predict(String api, String name, Target target, long size,
                                                         Function<Model, R> read) {
        long start = System.nanoTime();
        String outcome = "error";
        String modelTag = "unknown";
        try (PredictBudget.Permit permit = budget.admit(size)) {
            LoadedModel loaded = target.resolve(registry, name);
            modelTag = loaded.name();
            R request = read.apply(loaded.model());
            permit.extend(Footprint.predictBytes(loaded.model().spec(), request.rows().length));
            double[][] outputs = run(loaded.model(), request.rows());
            checkFinite(outputs, loaded.model());
            DistributionSummary.builder("lrnn.predict.rows").description("Rows per predict request")
                    .tag("model", modelTag).register(meters).record(outputs.length);
            outcome = "success";
            return new Answer<>(request, new Prediction(loaded, outputs));
        } catch (ModelNotFoundException e) {
            outcome = "not_found";
            throw e;
        } catch (InvalidInputException e) {
            outcome = "bad_request";
            throw e;
        } catch (ProblemException e) {
            outcome = e instanceof PredictBusyException ? "busy"
                    : e instanceof NonFiniteOutputException ? "non_finite" : "bad_request"; // 413 mid-body, say
            throw e;
        } finally {
            Timer.builder("lrnn.predict").description("Predict latency, parsing included")
                    .tags("model", modelTag, "api", api, "outcome", outcome)
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** What every reader guarantees, checked again for a decoder of another package. */
    private <R extends PredictRequest> R checkRows(R request, Model model) {
        double[][] rows = request.rows();
        int n = model.inputs().size();
        if (rows.length < 1 || rows.length > maxBatch) {
            throw new InvalidInputException("inputs", "1 to " + maxBatch + " rows (lrnn.predict.max-batch)",
                    rows.length + " rows");
        }
        for (int b = 0; b < rows.length; b++) {
            if (rows[b].length != n) {
                throw new InvalidInputException("row " + b, n + " features " + model.inputs(), rows[b].length);
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(rows[b][i])) {
                    throw new InvalidInputException("row " + b + "." + model.inputs().get(i), "a finite number",
                            rows[b][i]);
                }
            }
        }
        return request;
    }

    /** A NaN or infinite output means the inputs overflowed inside the network: never answered as a number. */
    private static void checkFinite(double[][] outputs, Model model) {
        for (int b = 0; b < outputs.length; b++) {
            for (int k = 0; k < outputs[b].length; k++) {
                if (!Double.isFinite(outputs[b][k])) {
                    throw new NonFiniteOutputException(b, model.outputs().get(k), outputs[b][k]);
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
