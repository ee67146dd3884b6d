package io.lrnn.server.models;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** The change would overwrite or delete something it must not (an existing or read-only version). */
public class ModelConflictException extends ProblemException {

    public ModelConflictException(String message) {
        super(HttpStatus.CONFLICT, "conflict", message);
    }
}
