package io.lrnn.server.predict;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol datatypes an input tensor may have here: the numeric ones. Each reads
 * one JSON element as the value the client meant, so an {@code FP32} element is rounded to float
 * (as a typed server would hold it) and an integer element must be a whole number in its type's
 * range. {@code BOOL}, {@code BYTES}, {@code FP16} and {@code BF16} are not accepted.
 */
enum TensorDatatype {
    FP64(null, null),
    FP32(null, null),
    INT8(-(1L << 7), (1L << 7) - 1),
    INT16(-(1L << 15), (1L << 15) - 1),
    INT32(-(1L << 31), (1L << 31) - 1),
    INT64(Long.MIN_VALUE, Long.MAX_VALUE),
    UINT8(0, (1L << 8) - 1),
    UINT16(0, (1L << 16) - 1),
    UINT32(0, (1L << 32) - 1),
    UINT64(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

    /** What an unsupported or unknown datatype is told to use instead. */
    static final String SUPPORTED = Arrays.toString(values());

    /** Known protocol datatypes that a model of real-valued features cannot take. */
    private static final List<String> UNSUPPORTED = List.of("BOOL", "BYTES", "FP16", "BF16");

    private final BigInteger min;
    private final BigInteger max;

    TensorDatatype(long min, long max) {
        this(BigInteger.valueOf(min), BigInteger.valueOf(max));
    }

    TensorDatatype(BigInteger min, BigInteger max) {
        this.min = min;
        this.max = max;
    }

    /** The datatype named {@code name} (case-sensitive, as the protocol says). */
    static TensorDatatype of(JsonNode name, String field) {
        if (name == null || !name.isString()) {
            throw new InvalidInputException(field, "a datatype, one of " + SUPPORTED,
                    OpenInferenceRequest.describe(name));
        }
        String text = name.stringValue();
        for (TensorDatatype type : values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        String why = UNSUPPORTED.contains(text) ? " (not supported: the model's inputs are real numbers)" : "";
        throw new InvalidInputException(field, "one of " + SUPPORTED, text + why);
    }

    /**
     * The value of one tensor element.
     *
     * @param field the element's name, made only for an error
     * @throws InvalidInputException if it is not a number of this datatype, or not finite
     */
    double read(JsonNode value, Supplier<String> field) {
        if (value == null || !value.isNumber()) {
            throw new InvalidInputException(field.get(), "a number (" + name() + ")",
                    OpenInferenceRequest.describe(value));
        }
        if (min == null) {
            double v = doubleOf(value);
            v = this == FP32 ? (float) v : v;
            if (!Double.isFinite(v)) {
                throw new InvalidInputException(field.get(), "a finite " + name() + " number",
                        Double.isFinite(doubleOf(value)) ? value.toString() : String.valueOf(doubleOf(value)));
            }
            return v;
        }
        BigInteger integer = integer(value);
        if (integer == null) {
            throw new InvalidInputException(field.get(), "an integer (" + name() + ")", value.toString());
        }
        if (integer.compareTo(min) < 0 || integer.compareTo(max) > 0) {
            throw new InvalidInputException(field.get(), "an integer in [" + min + ", " + max + "] (" + name() + ")",
                    value.toString());
        }
        return integer.doubleValue();
    }

    /** The number as a double, infinite where it is beyond the double range (Jackson would throw). */
    private static double doubleOf(JsonNode value) {
        try {
            return value.doubleValue();
        } catch (JacksonException e) {
            return value.decimalValue().signum() < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
    }

    /** The whole number {@code value} is (1 and 1.0 alike), or null. */
    private static BigInteger integer(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? BigInteger.valueOf(value.longValue()) : value.bigIntegerValue();
        }
        if (!Double.isFinite(doubleOf(value))) {
            return null;
        }
        BigDecimal exact = value.decimalValue();
        return exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0 ? exact.toBigInteger() : null;
    }
}
