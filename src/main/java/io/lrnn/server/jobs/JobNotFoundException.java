package io.lrnn.server.jobs;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** No job with that id. */
public class JobNotFoundException extends ProblemException {

    public JobNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "not-found", "no training job with id " + id);
    }
}
