package io.lrnn.server.predict;

/**
 * A predict request as one API reads it, already checked against the model: 1 to
 * {@code lrnn.predict.max-batch} rows, each of the model's width, every value finite.
 */
public interface PredictRequest {

    /** {@code rows()[b]} is row b's features in the model's input order. */
    double[][] rows();
}
