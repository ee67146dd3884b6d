package io.lrnn.server.datasets;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** No data set with that id. */
public class DatasetNotFoundException extends ProblemException {

    public DatasetNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "not-found", "no data set with id " + id);
    }
}
