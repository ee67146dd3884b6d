package io.lrnn.server.models;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** An uploaded model, or a model name or version, that cannot be accepted; the message says why. */
public class InvalidModelException extends ProblemException {

    public InvalidModelException(String message, Throwable cause) {
        super(HttpStatus.BAD_REQUEST, "invalid-model", message, cause);
    }

    public InvalidModelException(String message) {
        super(HttpStatus.BAD_REQUEST, "invalid-model", message);
    }
}
