package io.lrnn.server.predict;

/** A predict request whose content is wrong; the message names the field, expected versus found. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String field, String expected, Object found) {
        super(field + ": expected " + expected + " but found " + found);
    }

    public InvalidInputException(String message) {
        super(message);
    }
}
