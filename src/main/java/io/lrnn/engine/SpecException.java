package io.lrnn.engine;

/** A network specification, model file or input that does not satisfy the engine's contract. */
public class SpecException extends IllegalArgumentException {

    public SpecException(String message) {
        super(message);
    }

    /** Checks a condition, failing with "{field}: expected {expected} but found {found}". */
    public static void require(boolean condition, String field, String expected, Object found) {
        if (!condition) {
            throw new SpecException(field + ": expected " + expected + " but found " + found);
        }
    }
}
