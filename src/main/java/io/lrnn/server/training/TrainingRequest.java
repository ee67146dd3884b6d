package io.lrnn.server.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/training-jobs} (SERVICE.md). Absent values come from the preset;
 * {@link TrainingPlan#resolve} checks every value and stores the resolved request with the job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRequest(String modelName, String datasetId, JsonNode data, List<String> features,
                              List<String> targets, String task, String preset, Architecture architecture,
                              Hyperparameters training) {

    /** The hidden layers; the linear head follows. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Architecture(List<Layer> layers) {
    }

    /** One hidden layer, {@code "type": "lrnn"} or {@code "dense"}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Layer(String type, Integer width, Integer projection, Integer hidden, String activation,
                        Double omega, Boolean sharedFunctions, Boolean layerNorm) {
    }

    /**
     * Optimiser and schedule settings, and {@code maxDuration}: the longest the run may take
     * (ISO-8601 such as {@code "PT10M"}, {@code "90s"}/{@code "10m"}/{@code "2h"}, or a number of
     * seconds), at most {@code lrnn.jobs.max-duration}, which applies when it is absent; and
     * {@code init}, how LRNN layers' univariate functions start ({@code uniform} or
     * {@code unit-variance}; not stored in the model).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hyperparameters(Integer epochs, Long maxSteps, Integer batchSize, Double learningRate,
                                  String schedule, Double weightDecay, Double validationSplit,
                                  Integer earlyStoppingPatience, Long seed, String maxDuration, String init) {

        /** With the default initialisation. */
        public Hyperparameters(Integer epochs, Long maxSteps, Integer batchSize, Double learningRate, String schedule,
                               Double weightDecay, Double validationSplit, Integer earlyStoppingPatience, Long seed,
                               String maxDuration) {
            this(epochs, maxSteps, batchSize, learningRate, schedule, weightDecay, validationSplit,
                    earlyStoppingPatience, seed, maxDuration, null);
        }

        /** Without a maxDuration of its own. */
        public Hyperparameters(Integer epochs, Long maxSteps, Integer batchSize, Double learningRate, String schedule,
                               Double weightDecay, Double validationSplit, Integer earlyStoppingPatience, Long seed) {
            this(epochs, maxSteps, batchSize, learningRate, schedule, weightDecay, validationSplit,
                    earlyStoppingPatience, seed, null, null);
        }
    }
}
