package io.lrnn.server.training;

import io.lrnn.engine.Model;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.train.Trainer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Runs a training job: loads its data set, trains with the engine (progress written back to the
 * job, cancellation and lease loss checked before every step) and stores the model version in
 * the same transaction that marks the job SUCCEEDED.
 */
@Component
class TrainingJobHandler implements JobHandler {

    private static final int CONFLICT_RETRIES = 3;

    private final DatasetService datasets;
    private final ModelService models;
    private final int threads;

    TrainingJobHandler(DatasetService datasets, ModelService models, LrnnProperties properties) {
        this.datasets = datasets;
        this.models = models;
        this.threads = properties.jobs().threadsPerJob();
    }

    @Override
    public void run(Job job, JobContext context) {
        TrainingRequest request = Json.MAPPER.readValue(job.request(), TrainingRequest.class);
        Dataset dataset = datasets.get(request.datasetId());
        Table table = datasets.load(dataset.id());
        TrainingPlan plan = TrainingPlan.of(request, threads, table.rows());
        TrainingData data = data(plan, table, dataset.digest());
        NetworkSpec spec = new NetworkSpec(plan.features().size(), plan.layers(), data.outputs().size(), plan.task());
        ProgressLog progress = new ProgressLog(context);
        TrainingResult result = new Trainer(plan.config()).train(spec, data, progress::report,
                () -> context.stopReason() != JobContext.StopReason.NONE);
        progress.finish(result);
        Model trained = result.model();
        Model model = new Model(trained.network(), trained.inputs(), trained.outputs(), trained.normalization(),
                new Model.Provenance(trained.provenance().createdAt(), "LRNN Serve training job " + job.id(),
                        dataset.digest(), Json.MAPPER.convertValue(request, new TypeReference<Map<String, Object>>() { })));
        for (int attempt = 1; ; attempt++) {
            String version = models.nextVersion(plan.modelName());
            try {
                if (context.succeed(version, () -> models.storeTrained(plan.modelName(), version, model, job.id()))) {
                    models.publish(plan.modelName(), version, model);
                }
                return;
            } catch (ModelConflictException raced) {
                if (attempt == CONFLICT_RETRIES) {
                    throw raced;
                }
            }
        }
    }

    /** The engine's view of the plan's columns: features, and targets (class indices for classification). */
    static TrainingData data(TrainingPlan plan, Table table, String digest) {
        int rows = table.rows();
        DMatrixRMaj x = new DMatrixRMaj(rows, plan.features().size());
        for (int f = 0; f < plan.features().size(); f++) {
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
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            y.set(b, 0, labels.indexOf(table.text(target, b)));
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
}
