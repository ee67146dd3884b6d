package io.lrnn.server.training;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnInit;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.SpecException;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.train.LearningRateSchedule;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.datasets.Dataset;
import io.lrnn.server.models.InvalidModelException;
import io.lrnn.server.models.ModelNames;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.convert.DurationStyle;

/**
 * A checked training request: every value filled from the preset and range-checked, columns
 * matched against the data set. What a job stores, and what its worker trains.
 */
record TrainingPlan(String modelName, String datasetId, List<String> features, List<String> targets, Task task,
                    List<LayerSpec> layers, TrainingConfig config, Duration maxDuration, TrainingRequest resolved) {

    static final int MAX_LAYERS = 16;
    static final int MAX_WIDTH = 4096;

    /**
     * Resolves {@code request} against the columns of {@code dataset} (its id replaces inline data).
     *
     * @throws InvalidRequestException naming the first field that is missing or out of range
     */
    static TrainingPlan resolve(TrainingRequest request, Dataset dataset, LrnnProperties.Jobs jobs) {
        int threads = jobs.threadsPerJob();
        if (request == null) {
            throw new InvalidRequestException("request body", "a training request", "none");
        }
        try {
            ModelNames.check("modelName", request.modelName());
        } catch (InvalidModelException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        String preset = request.preset() == null ? Presets.DEFAULT : request.preset();
        require(Presets.exists(preset), "preset", "one of " + Presets.names(), preset);
        Task task = task(request.task());
        List<String> targets = request.targets();
        require(targets != null && !targets.isEmpty(), "targets", "at least one target column", targets);
        require(task == Task.REGRESSION || targets.size() == 1, "targets", "one column for classification",
                targets);
        require(new HashSet<>(targets).size() == targets.size(), "targets", "distinct columns", targets);
        List<String> features = request.features() != null ? request.features()
                : dataset.columnNames().stream().filter(c -> !targets.contains(c)).toList();
        require(!features.isEmpty(), "features", "at least one feature column", features);
        require(new HashSet<>(features).size() == features.size(), "features", "distinct columns", features);
        for (String column : features) {
            checkColumn("features", column, dataset, true);
            require(!targets.contains(column), "features", "columns that are not targets", column);
        }
        for (String column : targets) {
            checkColumn("targets", column, dataset, task == Task.REGRESSION);
        }
        TrainingRequest.Architecture architecture = request.architecture() != null
                && request.architecture().layers() != null ? request.architecture() : Presets.architecture(preset);
        List<TrainingRequest.Layer> resolvedLayers = new ArrayList<>();
        architecture.layers().forEach(layer -> resolvedLayers.add(layer == null ? null : Presets.layer(layer)));
        TrainingRequest.Hyperparameters given = Presets.training(preset, request.training());
        Duration maxDuration = maxDuration(given.maxDuration(), jobs.maxDuration());
        TrainingRequest.Hyperparameters training = new TrainingRequest.Hyperparameters(given.epochs(),
                given.maxSteps(), given.batchSize(), given.learningRate(), given.schedule(), given.weightDecay(),
                given.validationSplit(), given.earlyStoppingPatience(), given.seed(),
                given.maxDuration() == null ? null : maxDuration.toString(), given.init());
        TrainingRequest resolved = new TrainingRequest(request.modelName(), dataset.id(), null, features, targets,
                task.name().toLowerCase(Locale.ROOT), preset, new TrainingRequest.Architecture(resolvedLayers), training);
        List<LayerSpec> layers = layers(resolvedLayers);
        TrainingConfig config = config(training, threads, dataset.rows());
        long held = heldOut(dataset.rows(), config.validationSplit());
        require(held < dataset.rows(), "training.validationSplit", "a split that leaves rows to train on",
                dataset.rows() + " rows, " + held + " held out");
        long steps = totalSteps(training, dataset.rows());
        require(steps <= jobs.maxSteps(), "training.epochs", "at most " + jobs.maxSteps()
                + " optimiser steps in all (lrnn.jobs.max-steps)", steps + " (" + training.epochs() + " epochs of "
                + stepsPerEpoch(training, dataset.rows()) + " batches of at most " + training.batchSize()
                + " rows); use fewer epochs, a larger batchSize or training.maxSteps");
        TrainingPlan plan = new TrainingPlan(request.modelName(), dataset.id(), features, targets, task, layers, config,
                maxDuration, resolved);
        if (task == Task.CLASSIFICATION) {
            Integer classes = dataset.column(targets.get(0)).distinct();
            require(classes == null || classes >= 2, "targets", "at least 2 classes in column '" + targets.get(0) + "'",
                    classes);
        }
        MemoryBudget.check(plan.memory(dataset));
        return plan;
    }

    /**
     * Rebuilds the plan a job stored (its request was resolved at submission) for {@code dataset},
     * with this replica's settings: its threads, and its lrnn.jobs.max-duration if that is shorter now.
     */
    static TrainingPlan of(TrainingRequest resolved, Dataset dataset, LrnnProperties.Jobs jobs) {
        return new TrainingPlan(resolved.modelName(), resolved.datasetId(), resolved.features(), resolved.targets(),
                task(resolved.task()), layers(resolved.architecture().layers()),
                config(resolved.training(), jobs.threadsPerJob(), dataset.rows()),
                maxDuration(resolved.training().maxDuration(), jobs.maxDuration()), resolved);
    }

    /**
     * The memory estimate of this plan on {@code dataset}: K outputs for classification, K the
     * target's distinct values as counted at upload (or {@link Dataset#MAX_DISTINCT} when unknown).
     */
    MemoryBudget.Shape memory(Dataset dataset) {
        int outputs = targets.size();
        if (task == Task.CLASSIFICATION) {
            Dataset.Column target = dataset.column(targets.get(0));
            outputs = target == null || target.distinct() == null ? Dataset.MAX_DISTINCT : target.distinct();
        }
        return new MemoryBudget.Shape(new NetworkSpec(features.size(), layers, outputs, task), targets.size(),
                config.batchSize(),
                dataset.rows(), (int) heldOut(dataset.rows(), config.validationSplit()));
    }

    /** A job's maxDuration within the server's cap; the cap when the job names none. */
    static Duration maxDuration(String given, Duration cap) {
        if (given == null) {
            return cap;
        }
        Duration duration;
        try {
            duration = given.strip().matches("\\d{1,12}") ? Duration.ofSeconds(Long.parseLong(given.strip()))
                    : DurationStyle.detectAndParse(given.strip(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidRequestException("training.maxDuration", "a duration such as \"PT10M\", \"90s\" or "
                    + "a number of seconds", "'" + given + "'");
        }
        require(!duration.isNegative() && !duration.isZero() && duration.compareTo(cap) <= 0, "training.maxDuration",
                "a duration above 0 and at most " + cap + " (lrnn.jobs.max-duration)", duration);
        return duration;
    }

    private static Task task(String task) {
        require(task != null && (task.equals("regression") || task.equals("classification")), "task",
                "regression or classification", task);
        return task.equals("regression") ? Task.REGRESSION : Task.CLASSIFICATION;
    }

    private static void checkColumn(String field, String column, Dataset dataset, boolean numeric) {
        Dataset.Column found = dataset.column(column);
        require(found != null, field, "columns of data set " + dataset.id() + " " + dataset.columnNames(), column);
        require(!numeric || found.numeric(), field, "numeric columns",
                "'" + column + "', a text column (" + found.firstText() + ")");
    }

    static List<LayerSpec> layers(List<TrainingRequest.Layer> layers) {
        require(layers != null && !layers.isEmpty() && layers.size() <= MAX_LAYERS, "architecture.layers",
                "1 to " + MAX_LAYERS + " layers", layers == null ? "none" : layers.size());
        List<LayerSpec> specs = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            String at = "architecture.layers[" + k + "]";
            TrainingRequest.Layer l = layers.get(k);
            require(l != null && ("lrnn".equals(l.type()) || "dense".equals(l.type())), at + ".type", "lrnn or dense",
                    l == null ? "none" : l.type());
            require(l.width() != null && l.width() >= 1 && l.width() <= MAX_WIDTH, at + ".width",
                    "an integer from 1 to " + MAX_WIDTH, l.width());
            require(l.omega() > 0 && l.omega() <= 1000, at + ".omega", "a number in (0, 1000]", l.omega());
            if (l.type().equals("lrnn")) {
                require(l.projection() >= 1 && l.projection() <= 64, at + ".projection", "an integer from 1 to 64",
                        l.projection());
                require(l.hidden() >= 1 && l.hidden() <= 256, at + ".hidden", "an integer from 1 to 256", l.hidden());
                require(l.activation().equals("sin") || l.activation().equals("spder"), at + ".activation",
                        "sin or spder", l.activation());
                specs.add(spec(at, () -> new LrnnLayerSpec(l.width(), l.projection(), l.hidden(),
                        l.activation().equals("sin") ? UnivariateActivation.SIN : UnivariateActivation.SPDER,
                        l.omega(), l.sharedFunctions(), l.layerNorm())));
            } else {
                require(List.of("tanh", "relu", "sine").contains(l.activation()), at + ".activation",
                        "tanh, relu or sine", l.activation());
                specs.add(spec(at, () -> new DenseLayerSpec(l.width(),
                        DenseActivation.valueOf(l.activation().toUpperCase(Locale.ROOT)), l.omega())));
            }
        }
        return specs;
    }

    private static LayerSpec spec(String at, java.util.function.Supplier<LayerSpec> make) {
        try {
            return make.get();
        } catch (SpecException e) {
            throw new InvalidRequestException(at + "." + e.getMessage());
        }
    }

    /** The trainer's config; "step" divides the rate by 10 after each third of the run's steps. */
    static TrainingConfig config(TrainingRequest.Hyperparameters t, int threads, int rows) {
        require(t.epochs() >= 1 && t.epochs() <= 100_000, "training.epochs", "an integer from 1 to 100000",
                t.epochs());
        require(t.maxSteps() >= 0 && t.maxSteps() <= 10_000_000, "training.maxSteps",
                "0 (no cap) to 10000000", t.maxSteps());
        require(t.batchSize() >= 1 && t.batchSize() <= 65_536, "training.batchSize", "an integer from 1 to 65536",
                t.batchSize());
        require(t.validationSplit() >= 0 && t.validationSplit() <= 0.9, "training.validationSplit",
                "a number from 0 to 0.9", t.validationSplit());
        LearningRateSchedule schedule = switch (t.schedule()) {
            case "constant" -> new LearningRateSchedule.Constant();
            case "cosine" -> new LearningRateSchedule.Cosine();
            case "step" -> new LearningRateSchedule.Step(Math.max(1, totalSteps(t, rows) / 3), 0.1);
            default -> throw new InvalidRequestException("training.schedule", "constant, cosine or step", t.schedule());
        };
        LrnnInit init = switch (t.init() == null ? "uniform" : t.init()) {
            case "uniform" -> LrnnInit.UNIFORM;
            case "unit-variance" -> LrnnInit.UNIT_VARIANCE;
            default -> throw new InvalidRequestException("training.init", "uniform or unit-variance", t.init());
        };
        try {
            return new TrainingConfig(t.epochs(), t.maxSteps(), t.batchSize(), t.learningRate(), schedule,
                    t.weightDecay(), t.validationSplit(), t.earlyStoppingPatience(), t.seed(), threads, true, 50, init);
        } catch (SpecException e) {
            throw new InvalidRequestException("training." + e.getMessage());
        }
    }

    /** Rows the trainer holds out for validation (as {@code Trainer} counts them). */
    static long heldOut(int rows, double validationSplit) {
        return validationSplit == 0 ? 0 : Math.max(1, Math.round(rows * validationSplit));
    }

    private static long totalSteps(TrainingRequest.Hyperparameters t, int rows) {
        long steps = stepsPerEpoch(t, rows) * t.epochs();
        return t.maxSteps() > 0 ? Math.min(steps, t.maxSteps()) : steps;
    }

    private static long stepsPerEpoch(TrainingRequest.Hyperparameters t, int rows) {
        long trainRows = Math.max(1, rows - heldOut(rows, t.validationSplit()));
        return (trainRows + t.batchSize() - 1) / t.batchSize();
    }

    private static void require(boolean condition, String field, String expected, Object found) {
        if (!condition) {
            throw new InvalidRequestException(field, expected, found);
        }
    }
}
