package io.lrnn.engine.train;

/** Receives progress reports on the training thread; must return quickly. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = progress -> { };

    void onProgress(TrainingProgress progress);
}
