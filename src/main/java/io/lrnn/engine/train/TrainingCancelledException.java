package io.lrnn.engine.train;

/** Training stopped because its caller asked it to; no model is produced. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException(long step) {
        super("training cancelled at step " + step);
    }
}
