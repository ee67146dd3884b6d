package io.lrnn.server.training;

import io.lrnn.engine.Model;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.io.ModelJson;
import io.lrnn.engine.train.Trainer;
import io.lrnn.engine.train.TrainingCancelledException;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingResult;
import io.lrnn.server.common.Json;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.datasets.Csv;
import io.lrnn.server.datasets.Dataset;
import io.lrnn.server.datasets.DatasetService;
import io.lrnn.server.datasets.Table;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobContext;
import io.lrnn.server.jobs.JobHandler;
import io.lrnn.server.models.ModelConflictException;
import io.lrnn.server.models.ModelService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Runs a training job: checks its memory estimate on this replica, loads only the columns it
 * uses, trains with the engine (progress written back to the job; cancellation, lease loss and
 * the job's time limit checked while the data is prepared and before every step) and stores the
 * model version, with its full provenance, in the same transaction that marks the job SUCCEEDED.
 * A run that passes its maxDuration fails (the best model so far is not kept: a time-limited
 * model would differ from run to run with the machine's speed).
 */
@Component
class TrainingJobHandler implements JobHandler {

    private static final int CONFLICT_RETRIES = 3;
    static final String UNKNOWN_VERSION = "unknown";

    private final DatasetService datasets;
    private final ModelService models;
    private final LrnnProperties.Jobs settings;
    private final Clock clock;
    private final String serverVersion;

    TrainingJobHandler(DatasetService datasets, ModelService models, LrnnProperties properties, Clock clock,
                       ObjectProvider<BuildProperties> build) {
        this.datasets = datasets;
        this.models = models;
        this.settings = properties.jobs();
        this.clock = clock;
        BuildProperties info = build.getIfAvailable();
        String packaged = TrainingJobHandler.class.getPackage().getImplementationVersion();
        this.serverVersion = info != null && info.getVersion() != null ? info.getVersion()
                : packaged != null ? packaged : UNKNOWN_VERSION;
    }

    @Override
    public void run(Job job, JobContext context) {
        TrainingRequest request = Json.MAPPER.readValue(job.request(), TrainingRequest.class);
        Dataset dataset = datasets.get(request.datasetId());
        TrainingPlan plan = TrainingPlan.of(request, dataset, settings);
        Deadline deadline = new Deadline(clock, clock.instant().plus(plan.maxDuration()), plan.maxDuration(), context);
        MemoryBudget.check(plan.memory(dataset)); // this replica's heap, before anything is loaded
        List<String> used = new ArrayList<>(plan.features());
        used.addAll(plan.targets());
        Table table = datasets.load(dataset.id(), used, deadline::check);
        TrainingData data = data(plan, table, dataset.digest(), deadline::check);
        NetworkSpec spec = new NetworkSpec(plan.features().size(), plan.layers(), data.outputs().size(), plan.task());
        ProgressLog progress = new ProgressLog(context);
        TrainingResult result = new Trainer(plan.config()).train(spec, data, progress::report, deadline::stop);
        progress.finish(result);
        Model trained = result.model();
        Model model = new Model(trained.network(), trained.inputs(), trained.outputs(), trained.normalization(),
                new Model.Provenance(trained.provenance().createdAt(), "LRNN Serve training job " + job.id(),
                        dataset.digest(), provenance(request, plan, trained.provenance())));
        models.warmUp(plan.modelName(), "(trained by job " + job.id() + ")", model);
        for (int attempt = 1; ; attempt++) {
            String[] stored = new String[1];
            try {
                if (context.succeed(() -> models.nextVersion(plan.modelName()), version -> {
                    models.storeTrained(plan.modelName(), version, model, job.id());
                    stored[0] = version;
                })) {
                    models.publish(plan.modelName(), stored[0], model);
                }
                return;
            } catch (ModelConflictException raced) {
                if (attempt == CONFLICT_RETRIES) {
                    throw raced;
                }
            }
        }
    }

    /**
     * What made the model: the resolved request, the trainer's full settings (as the engine
     * recorded them, plus the ones it leaves out), and the versions of the engine and of the
     * model format it was written in.
     */
    private Map<String, Object> provenance(TrainingRequest request, TrainingPlan plan, Model.Provenance engine) {
        Map<String, Object> trainer = new LinkedHashMap<>(engine.config());
        trainer.put("threads", plan.config().threads());
        trainer.put("standardizeTargets", plan.config().standardizeTargets());
        trainer.put("progressEvery", plan.config().progressEvery());
        trainer.put("maxDuration", plan.maxDuration().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("request", Json.MAPPER.convertValue(request, new TypeReference<Map<String, Object>>() { }));
        config.put("trainer", trainer);
        config.put("engineVersion", serverVersion); // the engine is built and shipped with the server
        config.put("formatVersion", ModelJson.FORMAT_VERSION);
        return config;
    }

    /**
     * The engine's view of the plan's columns: features, and targets (class indices for
     * classification, looked up in a map). {@code checkpoint} runs every few thousand rows.
     */
    static TrainingData data(TrainingPlan plan, Table table, String digest, Runnable checkpoint) {
        int rows = table.rows();
        DMatrixRMaj x = new DMatrixRMaj(rows, plan.features().size());
        for (int f = 0; f < plan.features().size(); f++) {
            checkpoint.run();
            double[] column = table.numbers()[table.index(plan.features().get(f))];
            for (int b = 0; b < rows; b++) {
                x.set(b, f, column[b]);
            }
        }
        if (plan.task() == Task.REGRESSION) {
            DMatrixRMaj y = new DMatrixRMaj(rows, plan.targets().size());
            for (int t = 0; t < plan.targets().size(); t++) {
                double[] column = table.numbers()[table.index(plan.targets().get(t))];
                for (int b = 0; b < rows; b++) {
                    y.set(b, t, column[b]);
                }
            }
            return new TrainingData(x, y, plan.features(), plan.targets(), digest);
        }
        int target = table.index(plan.targets().get(0));
        List<String> labels = labels(table, target);
        if (labels.size() < 2) {
            throw new InvalidRequestException("targets", "at least 2 classes in column '" + plan.targets().get(0) + "'",
                    labels);
        }
        checkpoint.run();
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            index.put(labels.get(k), k);
        }
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            y.set(b, 0, index.get(table.text(target, b)));
        }
        return new TrainingData(x, y, plan.features(), labels, digest);
    }

    /** Distinct values of a column, numbers in numeric order, text in alphabetical order. */
    private static List<String> labels(Table table, int column) {
        if (table.isNumeric(column)) {
            TreeSet<Double> values = new TreeSet<>();
            for (double v : table.numbers()[column]) {
                values.add(v);
            }
            return values.stream().map(Csv::format).toList();
        }
        return new ArrayList<>(new TreeSet<>(List.of(table.texts()[column])));
    }

    /** The job's time limit, and its stop reason, as the data loader and the trainer check them. */
    private record Deadline(Clock clock, Instant at, Duration maxDuration, JobContext context) {

        /** Whether the trainer should stop; throws when the time limit has passed. */
        boolean stop() {
            if (clock.instant().isAfter(at)) {
                throw new TrainingTimeLimitException(maxDuration);
            }
            return context.stopReason() != JobContext.StopReason.NONE;
        }

        /** Throws when the job should stop (its stop reason tells the worker how to end it). */
        void check() {
            if (stop()) {
                throw new TrainingCancelledException(0);
            }
        }
    }
}
