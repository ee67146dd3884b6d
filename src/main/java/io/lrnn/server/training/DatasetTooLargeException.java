package io.lrnn.server.training;

/** A data set upload over {@code lrnn.datasets.max-size}. */
public class DatasetTooLargeException extends RuntimeException {

    public DatasetTooLargeException(long limit) {
        super("data set: expected at most " + limit + " bytes (lrnn.datasets.max-size) but found more");
    }
}
