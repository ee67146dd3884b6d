package io.lrnn.server.datasets;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A data set that a queued or running job still needs. */
public class DatasetInUseException extends ProblemException {

    public DatasetInUseException(String id, String jobId) {
        super(HttpStatus.CONFLICT, "conflict",
                "data set " + id + " is used by training job " + jobId + ", which is queued or running");
    }
}
