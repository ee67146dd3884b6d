package io.lrnn.server.models;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** No such model or version. */
public class ModelNotFoundException extends ProblemException {

    public ModelNotFoundException(String message) {
        super(HttpStatus.NOT_FOUND, "not-found", message);
    }
}
