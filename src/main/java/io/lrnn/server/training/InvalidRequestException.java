package io.lrnn.server.training;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A data set or training request that cannot be accepted; the message names the field. */
public class InvalidRequestException extends ProblemException {

    public InvalidRequestException(String field, String expected, Object found) {
        super(HttpStatus.BAD_REQUEST, "invalid-request",
                field + ": expected " + expected + " but found " + found);
    }

    public InvalidRequestException(String message) {
        super(HttpStatus.BAD_REQUEST, "invalid-request",
                message);
    }
}
