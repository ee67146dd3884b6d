package io.lrnn.server.training;

import java.time.Duration;

/** A training run that passed its maxDuration: the job fails with this message. */
class TrainingTimeLimitException extends RuntimeException {

    TrainingTimeLimitException(Duration maxDuration) {
        super("training stopped: it ran longer than its maxDuration of " + maxDuration
                + " (training.maxDuration, at most lrnn.jobs.max-duration); use fewer epochs, training.maxSteps "
                + "or a longer maxDuration");
    }
}
