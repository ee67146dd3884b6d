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

    /**
     * Checks a count, failing with "{field}: expected {expected} {unit} but found {found}". For hot
     * paths: unlike {@link #require}, nothing is built or boxed unless the check fails.
     */
    public static void requireCount(boolean condition, String field, int expected, String unit, int found) {
        if (!condition) {
            throw new SpecException(field + ": expected " + expected + " " + unit + " but found " + found);
        }
    }
}
