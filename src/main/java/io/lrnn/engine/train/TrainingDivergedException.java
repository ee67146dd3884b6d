package io.lrnn.engine.train;

/** The loss or the parameters became NaN or infinite; no model is produced. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
