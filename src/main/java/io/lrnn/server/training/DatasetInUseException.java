package io.lrnn.server.training;

/** A data set that a queued or running job still needs. */
public class DatasetInUseException extends RuntimeException {

    public DatasetInUseException(String id, String jobId) {
        super("data set " + id + " is used by training job " + jobId + ", which is queued or running");
    }
}
