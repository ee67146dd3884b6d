package io.lrnn.server.jobs;

/** No job with that id. */
public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String id) {
        super("no training job with id " + id);
    }
}
