package io.lrnn.server.predict;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol datatypes an input tensor may have here: the numeric ones. Each reads
 * one JSON element as the value the client meant, so an {@code FP32} element is rounded to float
 * (as a typed server would hold it) and an integer element must be a whole number in its type's
 * range. Binary data (the binary tensor data extension) is read in each type's native size,
 * little-endian. {@code BOOL}, {@code BYTES}, {@code FP16} and {@code BF16} are not accepted.
 */
public enum TensorDatatype {
    FP64(8, null, null),
    FP32(4, null, null),
    INT8(1, -(1L << 7), (1L << 7) - 1),
    INT16(2, -(1L << 15), (1L << 15) - 1),
    INT32(4, -(1L << 31), (1L << 31) - 1),
    INT64(8, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT8(1, 0, (1L << 8) - 1),
    UINT16(2, 0, (1L << 16) - 1),
    UINT32(4, 0, (1L << 32) - 1),
    UINT64(8, BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

    /** What an unsupported or unknown datatype is told to use instead. */
    public static final String SUPPORTED = Arrays.toString(values());

    /** Known protocol datatypes that a model of real-valued features cannot take. */
    private static final List<String> UNSUPPORTED = List.of("BOOL", "BYTES", "FP16", "BF16");

    private final int bytes;
    private final BigInteger min;
    private final BigInteger max;

    TensorDatatype(int bytes, long min, long max) {
        this(bytes, BigInteger.valueOf(min), BigInteger.valueOf(max));
    }

    TensorDatatype(int bytes, BigInteger min, BigInteger max) {
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    /** Bytes of one element in binary data. */
    public int bytes() {
        return bytes;
    }

    /** The datatype named {@code name}, a JSON string. */
    static TensorDatatype of(JsonNode name, String field) {
        if (name == null || !name.isString()) {
            throw new InvalidInputException(field, "a datatype, one of " + SUPPORTED,
                    OpenInferenceRequest.describe(name));
        }
        return of(name.stringValue(), field);
    }

    /** The datatype named {@code text} (case-sensitive, as the protocol says). */
    public static TensorDatatype of(String text, String field) {
        for (TensorDatatype type : values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        String why = UNSUPPORTED.contains(text) ? " (not supported: the model's inputs are real numbers)" : "";
        throw new InvalidInputException(field, "one of " + SUPPORTED, (text.isEmpty() ? "none" : text) + why);
    }

    /**
     * A value that a typed field held (gRPC's {@code int_contents} carry 32 bits for INT8 and
     * INT16, say), checked as a JSON element is: a float finite, an integer within its type's range.
     *
     * @param field the element's name, made only for an error
     */
    public double check(double value, Supplier<String> field) {
        if (min == null) {
            if (!Double.isFinite(value)) {
                throw new InvalidInputException(field.get(), "a finite " + name() + " number", value);
            }
        } else if (value < min.doubleValue() || value > max.doubleValue()) {
            throw new InvalidInputException(field.get(), "an integer in [" + min + ", " + max + "] (" + name() + ")",
                    (long) value);
        }
        return value;
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

    /**
     * Element {@code e} of binary data, little-endian ({@code data}'s byte order must say so); only a
     * float can be out of range here, so it alone is checked: a NaN or infinity is a 400.
     *
     * @param field the element's name, made only for an error
     */
    public double read(ByteBuffer data, int e, Supplier<String> field) {
        int at = e * bytes;
        double v = switch (this) {
            case FP64 -> data.getDouble(at);
            case FP32 -> data.getFloat(at);
            case INT8 -> data.get(at);
            case INT16 -> data.getShort(at);
            case INT32 -> data.getInt(at);
            case INT64 -> data.getLong(at);
            case UINT8 -> Byte.toUnsignedInt(data.get(at));
            case UINT16 -> Short.toUnsignedInt(data.getShort(at));
            case UINT32 -> Integer.toUnsignedLong(data.getInt(at));
            case UINT64 -> unsigned(data.getLong(at));
        };
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(field.get(), "a finite " + name() + " number", v);
        }
        return v;
    }

    /** An unsigned 64-bit integer as the nearest double. */
    public static double unsigned(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
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
