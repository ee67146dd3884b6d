package io.lrnn.server.grpc;

import com.google.protobuf.ByteString;
import io.lrnn.server.grpc.v2.InferTensorContents;
import io.lrnn.server.predict.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The input datatypes ModelInfer takes (those of REST, in its order), each with the
 * {@link InferTensorContents} field that holds it and its size as raw little-endian bytes. Values
 * are checked as REST checks JSON elements: floats finite, 8- and 16-bit integers in range.
 */
enum Datatype {
    FP64(8, "fp64_contents"),
    FP32(4, "fp32_contents"),
    INT8(1, "int_contents"),
    INT16(2, "int_contents"),
    INT32(4, "int_contents"),
    INT64(8, "int64_contents"),
    UINT8(1, "uint_contents"),
    UINT16(2, "uint_contents"),
    UINT32(4, "uint_contents"),
    UINT64(8, "uint64_contents");

    static final String SUPPORTED = Arrays.toString(values());
    private static final List<String> UNSUPPORTED = List.of("BOOL", "BYTES", "FP16", "BF16");

    private final int bytes;
    private final String field;

    Datatype(int bytes, String field) {
        this.bytes = bytes;
        this.field = field;
    }

    /** The datatype named {@code text} (case-sensitive, as the protocol says). */
    static Datatype of(String text, String field) {
        for (Datatype type : values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        String why = UNSUPPORTED.contains(text) ? " (not supported: the model's inputs are real numbers)" : "";
        throw new InvalidInputException(field, "one of " + SUPPORTED, (text.isEmpty() ? "none" : text) + why);
    }

    /** The {@code count} values of {@code contents}, from the field of this datatype. */
    double[] read(InferTensorContents contents, int count, long[] shape, String tensor) {
        String name = tensor + ".contents." + field;
        int found = switch (this) {
            case FP64 -> contents.getFp64ContentsCount();
            case FP32 -> contents.getFp32ContentsCount();
            case INT8, INT16, INT32 -> contents.getIntContentsCount();
            case INT64 -> contents.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
            case UINT64 -> contents.getUint64ContentsCount();
        };
        if (found != count) {
            throw new InvalidInputException(name, count + " values (shape " + Arrays.toString(shape) + ")",
                    found + " values");
        }
        double[] values = new double[count];
        for (int e = 0; e < count; e++) {
            values[e] = switch (this) {
                case FP64 -> contents.getFp64Contents(e);
                case FP32 -> contents.getFp32Contents(e);
                case INT8, INT16, INT32 -> contents.getIntContents(e);
                case INT64 -> contents.getInt64Contents(e);
                case UINT8, UINT16, UINT32 -> Integer.toUnsignedLong(contents.getUintContents(e));
                case UINT64 -> unsigned(contents.getUint64Contents(e));
            };
            check(values[e], name, e);
        }
        return values;
    }

    /** The {@code count} values of one {@code raw_input_contents} entry: little-endian, row-major. */
    double[] read(ByteString raw, int count, long[] shape, String entry) {
        if (raw.size() != (long) count * bytes) {
            throw new InvalidInputException(entry, (long) count * bytes + " bytes (" + count + " " + name()
                    + " values, shape " + Arrays.toString(shape) + ")", raw.size() + " bytes");
        }
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[count];
        for (int e = 0; e < count; e++) {
            values[e] = switch (this) {
                case FP64 -> buffer.getDouble();
                case FP32 -> buffer.getFloat();
                case INT8 -> buffer.get();
                case INT16 -> buffer.getShort();
                case INT32 -> buffer.getInt();
                case INT64 -> buffer.getLong();
                case UINT8 -> Byte.toUnsignedInt(buffer.get());
                case UINT16 -> Short.toUnsignedInt(buffer.getShort());
                case UINT32 -> Integer.toUnsignedLong(buffer.getInt());
                case UINT64 -> unsigned(buffer.getLong());
            };
            check(values[e], entry, e);
        }
        return values;
    }

    /** Floats must be finite; int_contents and uint_contents carry 32 bits, so 8- and 16-bit types are range-checked. */
    private void check(double value, String field, int e) {
        long min = switch (this) {
            case INT8 -> -(1L << 7);
            case INT16 -> -(1L << 15);
            default -> 0;
        };
        long max = switch (this) {
            case INT8 -> (1L << 7) - 1;
            case INT16 -> (1L << 15) - 1;
            case UINT8 -> (1L << 8) - 1;
            case UINT16 -> (1L << 16) - 1;
            default -> 0;
        };
        if ((this == FP64 || this == FP32) && !Double.isFinite(value)) {
            throw new InvalidInputException(field + "[" + e + "]", "a finite " + name() + " number", value);
        }
        if (max != 0 && (value < min || value > max)) {
            throw new InvalidInputException(field + "[" + e + "]", "an integer in [" + min + ", " + max + "] ("
                    + name() + ")", (long) value);
        }
    }

    /** An unsigned 64-bit integer as the nearest double. */
    private static double unsigned(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }
}
