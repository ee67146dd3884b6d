package io.lrnn.engine.train;

import static io.lrnn.engine.SpecException.require;

import io.lrnn.engine.LrnnInit;

/**
 * Hyper-parameters of one training run (LRNN.md section 5).
 *
 * @param epochs                passes over the training rows
 * @param maxSteps              optional cap on optimiser steps (0: none); training stops at
 *                              whichever of epochs and maxSteps comes first
 * @param batchSize             rows per minibatch
 * @param learningRate          Adam's base rate
 * @param schedule              how the rate changes over the steps
 * @param weightDecay           decoupled weight decay (0: none)
 * @param validationSplit       share of rows held out for validation and early stopping (0: none)
 * @param earlyStoppingPatience epochs without a better validation loss before stopping (0: never)
 * @param seed                  seeds initialisation, the split and the shuffling
 * @param threads               cores used per step; results do not depend on it
 * @param standardizeTargets    standardise regression targets (inputs always are)
 * @param progressEvery         report progress every this many steps (and at each epoch's end)
 * @param init                  how LRNN layers' univariate functions start (not stored in the model)
 */
public record TrainingConfig(int epochs, long maxSteps, int batchSize, double learningRate,
                             LearningRateSchedule schedule, double weightDecay, double validationSplit,
                             int earlyStoppingPatience, long seed, int threads, boolean standardizeTargets,
                             int progressEvery, LrnnInit init) {

    /** With the default initialisation, {@link LrnnInit#UNIFORM}. */
    public TrainingConfig(int epochs, long maxSteps, int batchSize, double learningRate,
                          LearningRateSchedule schedule, double weightDecay, double validationSplit,
                          int earlyStoppingPatience, long seed, int threads, boolean standardizeTargets,
                          int progressEvery) {
        this(epochs, maxSteps, batchSize, learningRate, schedule, weightDecay, validationSplit, earlyStoppingPatience,
                seed, threads, standardizeTargets, progressEvery, LrnnInit.UNIFORM);
    }

    public TrainingConfig {
        require(epochs > 0, "epochs", "a positive integer", epochs);
        require(maxSteps >= 0, "maxSteps", "0 (no cap) or a positive integer", maxSteps);
        require(batchSize > 0, "batchSize", "a positive integer", batchSize);
        require(Double.isFinite(learningRate) && learningRate > 0 && learningRate <= 1, "learningRate",
                "a number in (0, 1]", learningRate);
        require(schedule != null, "schedule", "constant, cosine or step", null);
        require(Double.isFinite(weightDecay) && weightDecay >= 0 && weightDecay < 1, "weightDecay",
                "a number in [0, 1)", weightDecay);
        require(validationSplit >= 0 && validationSplit < 1, "validationSplit", "a number in [0, 1)",
                validationSplit);
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience", "0 (off) or a positive integer",
                earlyStoppingPatience);
        require(threads > 0, "threads", "a positive integer", threads);
        require(progressEvery > 0, "progressEvery", "a positive integer", progressEvery);
        require(init != null, "init", "uniform or unit-variance", null);
    }

    /** Sensible defaults: 100 epochs of 128 rows at 3e-3, cosine, 20 % validation, patience 20, seed 42. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private int epochs = 100;
        private long maxSteps;
        private int batchSize = 128;
        private double learningRate = 3e-3;
        private LearningRateSchedule schedule = new LearningRateSchedule.Cosine();
        private double weightDecay;
        private double validationSplit = 0.2;
        private int earlyStoppingPatience = 20;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean standardizeTargets = true;
        private int progressEvery = 50;
        private LrnnInit init = LrnnInit.UNIFORM;

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder maxSteps(long value) {
            maxSteps = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder schedule(LearningRateSchedule value) {
            schedule = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder validation(double split, int patience) {
            validationSplit = split;
            earlyStoppingPatience = patience;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public Builder standardizeTargets(boolean value) {
            standardizeTargets = value;
            return this;
        }

        public Builder progressEvery(int value) {
            progressEvery = value;
            return this;
        }

        public Builder init(LrnnInit value) {
            init = value;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, maxSteps, batchSize, learningRate, schedule, weightDecay,
                    validationSplit, earlyStoppingPatience, seed, threads, standardizeTargets, progressEvery, init);
        }
    }
}
