package io.lrnn.engine.train;

import io.lrnn.engine.Model;
import java.util.List;

/**
 * The outcome of a training run: the model (with the best validation parameters when a
 * validation set was used), the end-of-epoch reports, and why training stopped.
 */
public record TrainingResult(Model model, List<TrainingProgress> history, long steps, boolean stoppedEarly,
                             double bestValidationLoss) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
