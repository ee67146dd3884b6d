package io.lrnn.engine.train;

import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Normalization;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * Trains a network from scratch (LRNN.md section 5): seeded initialisation and split, standardised
 * inputs and targets, shuffled minibatches, Adam with a schedule, validation each epoch with early
 * stopping (the best parameters are kept), progress reports, cooperative cancellation checked
 * before every step, and divergence detection. Same config, seed and data give bit-identical
 * weights whatever the thread count.
 */
public final class Trainer {

    private final TrainingConfig config;

    public Trainer(TrainingConfig config) {
        this.config = config;
    }

    /**
     * Trains {@code spec} on {@code data}.
     *
     * @throws TrainingCancelledException when {@code cancelled} turns true
     * @throws TrainingDivergedException  when the loss or a parameter becomes NaN or infinite
     */
    public TrainingResult train(NetworkSpec spec, TrainingData data, TrainingListener listener,
                                BooleanSupplier cancelled) {
        data.checkFits(spec);
        ForkJoinPool pool = config.threads() > 1 ? new ForkJoinPool(config.threads()) : null;
        try {
            return new Run(spec, data, listener, cancelled, pool).train();
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /** The state of one training run. */
    private final class Run {
        private final NetworkSpec spec;
        private final TrainingData data;
        private final TrainingListener listener;
        private final BooleanSupplier cancelled;
        private final boolean regression;
        private final SplittableRandom random;
        private final int[] train;
        private final int[] validation;
        private final Normalization normalization;
        private final DMatrixRMaj x;
        private final DMatrixRMaj y;
        private final Network network;
        private final BatchPass pass;
        private final long started = System.nanoTime();
        private final List<TrainingProgress> history = new ArrayList<>();

        Run(NetworkSpec spec, TrainingData data, TrainingListener listener, BooleanSupplier cancelled,
            ForkJoinPool pool) {
            this.spec = spec;
            this.data = data;
            this.listener = listener;
            this.cancelled = cancelled;
            this.regression = spec.task() == Task.REGRESSION;
            this.random = new SplittableRandom(config.seed());
            int[] order = shuffled(data.rows());
            int held = config.validationSplit() == 0 ? 0
                    : (int) Math.max(1, Math.round(data.rows() * config.validationSplit()));
            io.lrnn.engine.SpecException.require(held < data.rows(), "validationSplit",
                    "a split that leaves training rows", data.rows() + " rows, " + held + " held out");
            this.validation = java.util.Arrays.copyOfRange(order, 0, held);
            this.train = java.util.Arrays.copyOfRange(order, held, order.length);
            this.normalization = Standardization.fit(data.features(), data.targets(), train, train.length,
                    regression, config.standardizeTargets());
            this.x = Standardization.inputs(normalization, data.features());
            this.y = Standardization.targets(normalization, data.targets(), regression);
            this.network = Network.initialize(spec, config.seed(), config.init());
            this.pass = new BatchPass(network, regression ? Loss.MSE : Loss.CROSS_ENTROPY, pool);
        }

        TrainingResult train() {
            Parameters params = network.parameters();
            Parameters grads = Parameters.zeros(params.tensors());
            Parameters best = validation.length > 0 ? params.copy() : null;
            Adam adam = new Adam(params, config.weightDecay());
            long stepsPerEpoch = (train.length + config.batchSize() - 1) / config.batchSize();
            long total = stepsPerEpoch * config.epochs();
            if (config.maxSteps() > 0) {
                total = Math.min(total, config.maxSteps());
            }
            double bestLoss = Double.POSITIVE_INFINITY;
            int sinceBest = 0;
            boolean stoppedEarly = false;
            long step = 0;
            double lossSum = 0;
            int lossCount = 0;
            int[] batch = new int[config.batchSize()];
            for (int epoch = 1; step < total && !stoppedEarly; epoch++) {
                shuffle(train);
                for (int from = 0; from < train.length && step < total; from += config.batchSize()) {
                    if (cancelled.getAsBoolean()) {
                        throw new TrainingCancelledException(step);
                    }
                    int count = Math.min(config.batchSize(), train.length - from);
                    System.arraycopy(train, from, batch, 0, count);
                    double loss = pass.lossAndGradient(x, y, batch, count, grads);
                    if (!Double.isFinite(loss)) {
                        throw diverged(step + 1, epoch, "the training loss is " + loss);
                    }
                    adam.step(grads, config.schedule().rate(config.learningRate(), step, total));
                    step++;
                    String broken = params.firstNonFinite();
                    if (broken != null) {
                        throw diverged(step, epoch, "parameter tensor " + broken + " is no longer finite");
                    }
                    lossSum += loss;
                    lossCount++;
                    boolean epochEnd = from + count >= train.length || step == total;
                    if (step % config.progressEvery() == 0 || epochEnd) {
                        BatchPass.Evaluation val = epochEnd && validation.length > 0
                                ? pass.evaluate(x, y, validation, validation.length) : null;
                        TrainingProgress progress = progress(step, total, epoch, lossSum / lossCount, val);
                        lossSum = 0;
                        lossCount = 0;
                        listener.onProgress(progress);
                        if (epochEnd) {
                            history.add(progress);
                        }
                        if (val != null && !Double.isFinite(val.loss())) {
                            throw diverged(step, epoch, "the validation loss is " + val.loss());
                        }
                        if (val != null && val.loss() < bestLoss) {
                            bestLoss = val.loss();
                            sinceBest = 0;
                            best.setFrom(params);
                        } else if (val != null && config.earlyStoppingPatience() > 0
                                && ++sinceBest >= config.earlyStoppingPatience()) {
                            stoppedEarly = true;
                        }
                    }
                }
            }
            if (best != null) {
                params.setFrom(best);
            }
            Model model = new Model(network, data.inputs(), data.outputs(), normalization, provenance());
            return new TrainingResult(model, history, step, stoppedEarly, best != null ? bestLoss : Double.NaN);
        }

        private TrainingProgress progress(long step, long total, int epoch, double trainLoss,
                                          BatchPass.Evaluation val) {
            double valLoss = val == null ? Double.NaN : val.loss();
            double accuracy = val == null || regression ? Double.NaN : val.accuracy();
            return new TrainingProgress(step, total, epoch, trainLoss, valLoss, accuracy,
                    Duration.ofNanos(System.nanoTime() - started));
        }

        private TrainingDivergedException diverged(long step, int epoch, String what) {
            return new TrainingDivergedException("training diverged at step " + step + " (epoch " + epoch + "): "
                    + what + "; try a lower learningRate or a smaller omega");
        }

        private Model.Provenance provenance() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("epochs", config.epochs());
            settings.put("maxSteps", config.maxSteps());
            settings.put("batchSize", config.batchSize());
            settings.put("learningRate", config.learningRate());
            settings.put("schedule", config.schedule().toString());
            settings.put("weightDecay", config.weightDecay());
            settings.put("validationSplit", config.validationSplit());
            settings.put("earlyStoppingPatience", config.earlyStoppingPatience());
            settings.put("seed", config.seed());
            settings.put("init", config.init().toString());
            settings.put("rows", data.rows());
            return new Model.Provenance(Instant.now().toString(), "LRNN Serve engine", data.digest(), settings);
        }

        private int[] shuffled(int n) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            shuffle(order);
            return order;
        }

        /** Fisher-Yates with the run's seeded generator. */
        private void shuffle(int[] a) {
            for (int i = a.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
    }
}
