package io.lrnn.server.models;

/** An uploaded model, or a model name or version, that cannot be accepted; the message says why. */
public class InvalidModelException extends RuntimeException {

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidModelException(String message) {
        super(message);
    }
}
