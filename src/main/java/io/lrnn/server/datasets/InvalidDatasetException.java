package io.lrnn.server.datasets;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A data set that cannot be accepted; the message names the cell, row or field, expected versus found. */
public class InvalidDatasetException extends ProblemException {

    public InvalidDatasetException(String field, String expected, Object found) {
        this(field + ": expected " + expected + " but found " + found);
    }

    public InvalidDatasetException(String message) {
        super(HttpStatus.BAD_REQUEST, "invalid-request", message);
    }
}
