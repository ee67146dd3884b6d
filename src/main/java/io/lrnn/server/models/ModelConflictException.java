package io.lrnn.server.models;

/** The change would overwrite or delete something it must not (an existing or read-only version). */
public class ModelConflictException extends RuntimeException {

    public ModelConflictException(String message) {
        super(message);
    }
}
