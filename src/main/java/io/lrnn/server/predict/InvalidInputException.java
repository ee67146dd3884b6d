package io.lrnn.server.predict;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A predict request whose content is wrong; the message names the field, expected versus found. */
public class InvalidInputException extends ProblemException {

    public InvalidInputException(String field, String expected, Object found) {
        super(HttpStatus.BAD_REQUEST, "invalid-input",
                field + ": expected " + expected + " but found " + found);
    }

    public InvalidInputException(String message) {
        super(HttpStatus.BAD_REQUEST, "invalid-input",
                message);
    }
}
