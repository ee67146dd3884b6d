package io.lrnn.server.training;

/** No data set with that id. */
public class DatasetNotFoundException extends RuntimeException {

    public DatasetNotFoundException(String id) {
        super("no data set with id " + id);
    }
}
