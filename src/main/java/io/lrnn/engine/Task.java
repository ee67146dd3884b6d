package io.lrnn.engine;

/** What the network's head predicts. */
public enum Task {
    /** Real-valued outputs, trained with mean squared error. */
    REGRESSION,
    /** K class probabilities (softmax of the head), trained with cross-entropy. */
    CLASSIFICATION
}
