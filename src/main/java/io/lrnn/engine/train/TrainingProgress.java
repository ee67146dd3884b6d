package io.lrnn.engine.train;

import java.time.Duration;

/**
 * A progress report. {@code trainLoss} is the mean minibatch loss since the previous report;
 * validation values are NaN when there is no validation set or it was not evaluated at this step;
 * {@code validationAccuracy} is NaN for regression.
 */
public record TrainingProgress(long step, long totalSteps, int epoch, double trainLoss, double validationLoss,
                               double validationAccuracy, Duration elapsed) {

    /** Whether this report carries a validation evaluation (the end of an epoch). */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
