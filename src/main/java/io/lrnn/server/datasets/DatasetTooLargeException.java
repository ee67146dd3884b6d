package io.lrnn.server.datasets;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A data set upload over {@code lrnn.datasets.max-size}. */
public class DatasetTooLargeException extends ProblemException {

    public DatasetTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "data set: expected at most " + limit + " bytes (lrnn.datasets.max-size) but found more");
    }
}
