package io.lrnn.server.training;

/** A data set or training request that cannot be accepted; the message names the field. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String field, String expected, Object found) {
        super(field + ": expected " + expected + " but found " + found);
    }

    public InvalidRequestException(String message) {
        super(message);
    }
}
