package io.lrnn.server.grpc;

import com.google.protobuf.ByteString;
import io.lrnn.server.grpc.v2.InferTensorContents;
import io.lrnn.server.predict.InvalidInputException;
import io.lrnn.server.predict.TensorDatatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An input tensor's values as ModelInfer carries them: in the {@link InferTensorContents} field of
 * its datatype, or as one {@code raw_input_contents} entry of little-endian bytes. Both are checked
 * by REST's {@link TensorDatatype}, so a value refused there is refused here with the same words.
 */
final class Contents {

    private Contents() {
    }

    /** The {@code count} values of {@code contents}, from the field of {@code type}. */
    static double[] read(TensorDatatype type, InferTensorContents contents, int count, long[] shape, String tensor) {
        String name = tensor + ".contents." + field(type);
        int found = switch (type) {
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
            double value = switch (type) {
                case FP64 -> contents.getFp64Contents(e);
                case FP32 -> contents.getFp32Contents(e);
                case INT8, INT16, INT32 -> contents.getIntContents(e);
                case INT64 -> contents.getInt64Contents(e);
                case UINT8, UINT16, UINT32 -> Integer.toUnsignedLong(contents.getUintContents(e));
                case UINT64 -> TensorDatatype.unsigned(contents.getUint64Contents(e));
            };
            int element = e;
            values[e] = type.check(value, () -> name + "[" + element + "]");
        }
        return values;
    }

    /** The {@code count} values of one {@code raw_input_contents} entry: little-endian, row-major. */
    static double[] read(TensorDatatype type, ByteString raw, int count, long[] shape, String entry) {
        if (raw.size() != (long) count * type.bytes()) {
            throw new InvalidInputException(entry, (long) count * type.bytes() + " bytes (" + count + " " + type
                    + " values, shape " + Arrays.toString(shape) + ")", raw.size() + " bytes");
        }
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[count];
        for (int e = 0; e < count; e++) {
            int element = e;
            values[e] = type.read(buffer, e, () -> entry + "[" + element + "]");
        }
        return values;
    }

    private static String field(TensorDatatype type) {
        return switch (type) {
            case FP64 -> "fp64_contents";
            case FP32 -> "fp32_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
        };
    }
}
