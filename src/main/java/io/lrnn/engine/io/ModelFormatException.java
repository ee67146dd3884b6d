package io.lrnn.engine.io;

import io.lrnn.engine.SpecException;

/**
 * A model file (model.json or weights.safetensors) that cannot be read or does not match its
 * description; the message names the field or tensor, expected versus found.
 */
public class ModelFormatException extends SpecException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }

    /** Checks a condition, failing with "{field}: expected {expected} but found {found}". */
    static void check(boolean condition, String field, String expected, Object found) {
        if (!condition) {
            throw new ModelFormatException(field + ": expected " + expected + " but found " + found);
        }
    }
}
