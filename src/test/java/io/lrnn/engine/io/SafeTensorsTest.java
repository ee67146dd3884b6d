package io.lrnn.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Tensor;
import io.lrnn.engine.io.SafeTensors.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static final List<Tensor> TENSORS = List.of(
            tensor("layers.0.proj.weight", 6, 3),
            tensor("layers.0.g.a", 2, 3, 4),
            tensor("empty", 0, 5),
            tensor("scalar"),
            tensor("head.bias", 2));

    private static Tensor tensor(String name, int... shape) {
        Tensor t = Tensor.zeros(name, shape);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 6));
        }
        return t;
    }

    @Test
    void f64RoundTripIsBitExactAndKeepsOrderAndMetadata() {
        byte[] file = SafeTensors.toBytes(TENSORS, DType.F64, Map.of("producer", "test"));

        SafeTensors.Contents read = SafeTensors.read(file);

        assertThat(read.tensors()).extracting(Tensor::name).containsExactly("layers.0.proj.weight",
                "layers.0.g.a", "empty", "scalar", "head.bias");
        for (int i = 0; i < TENSORS.size(); i++) {
            assertThat(read.tensors().get(i).shape()).containsExactly(TENSORS.get(i).shape());
            assertThat(read.tensors().get(i).data()).containsExactly(TENSORS.get(i).data());
        }
        assertThat(read.metadata()).containsExactly(Map.entry("producer", "test"));
    }

    @Test
    void f32RoundTripRoundsEachValueToTheNearestFloat() {
        SafeTensors.Contents read = SafeTensors.read(SafeTensors.toBytes(TENSORS, DType.F32, Map.of()));

        for (int i = 0; i < TENSORS.size(); i++) {
            double[] want = TENSORS.get(i).data();
            double[] have = read.tensors().get(i).data();
            assertThat(have).hasSameSizeAs(want);
            for (int j = 0; j < want.length; j++) {
                assertThat(have[j]).isEqualTo((double) (float) want[j]);
            }
        }
    }

    @Test
    void layoutIsHeaderLengthThenPaddedJsonThenContiguousLittleEndianData() {
        Tensor t = new Tensor("w", new int[] {2}, new double[] {1.5, -2.0});
        byte[] file = SafeTensors.toBytes(List.of(t));

        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(file, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header.strip()).isEqualTo("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}");
        assertThat(file).hasSize(8 + (int) headerLength + 16);
        assertThat(buffer.getDouble(8 + (int) headerLength)).isEqualTo(1.5);
        assertThat(buffer.getDouble(16 + (int) headerLength)).isEqualTo(-2.0);
    }

    @Test
    void readsAFileWrittenInAnyTensorOrderAndWithoutPadding() {
        byte[] data = doubles(1, 2, 3);
        byte[] file = raw("{\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data);

        SafeTensors.Contents read = SafeTensors.read(file);

        assertThat(read.tensors()).extracting(Tensor::name).containsExactly("a", "b");
        assertThat(read.tensors().get(1).data()).containsExactly(3.0);
    }

    @Test
    void readsFromAPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.safetensors");
        Files.write(file, SafeTensors.toBytes(TENSORS));

        assertThat(SafeTensors.read(file).tensors()).hasSize(TENSORS.size());
    }

    @Test
    void rejectsAFileShorterThanTheHeaderLength() {
        assertThatThrownBy(() -> SafeTensors.read(new byte[5])).isInstanceOf(ModelFormatException.class)
                .hasMessage("safetensors file: expected at least 8 bytes (the header length) but found 5 bytes");
    }

    @Test
    void rejectsAHeaderLengthLargerThanTheFile() {
        byte[] file = SafeTensors.toBytes(TENSORS);
        byte[] cut = Arrays.copyOf(file, 40);

        assertThatThrownBy(() -> SafeTensors.read(cut)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("header length: expected at most 32 bytes (the file size minus 8) but found ");
    }

    @Test
    void rejectsAHeaderLengthWithTheTopBitSetAsHugeNotNegative() {
        byte[] file = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();

        assertThatThrownBy(() -> SafeTensors.read(file))
                .hasMessage("header length: expected at most 8 bytes (the file size minus 8) but found "
                        + "18446744073709551615");
    }

    @Test
    void rejectsAHeaderLengthAboveTheCap() {
        long length = SafeTensors.MAX_HEADER_BYTES + 1;
        byte[] file = new byte[(int) length + 8];
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(length);

        assertThatThrownBy(() -> SafeTensors.read(file))
                .hasMessage("header length: expected at most 104857600 bytes but found 104857601");
    }

    @Test
    void rejectsAHeaderThatIsNotJson() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\": {", new byte[0])))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("header: expected a JSON object but found invalid JSON");
    }

    @Test
    void rejectsAHeaderThatIsNotAnObject() {
        assertThatThrownBy(() -> SafeTensors.read(raw("[1, 2]", new byte[0])))
                .hasMessage("header: expected a JSON object but found [1,2]");
    }

    @Test
    void rejectsAnEmptyHeader() {
        assertThatThrownBy(() -> SafeTensors.read(raw("", new byte[0]))).isInstanceOf(ModelFormatException.class)
                .hasMessage("header: expected a JSON object but found nothing (no JSON value)");
    }

    @Test
    void rejectsADuplicateTensorName() {
        String entry = "{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}";
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\":" + entry + ",\"a\":" + entry + "}", doubles(1))))
                .hasMessageStartingWith("header: expected a JSON object but found invalid JSON")
                .hasMessageContaining("Duplicate");
    }

    @Test
    void rejectsAnEntryThatIsNotAnObject() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\": 3}", new byte[0])))
                .hasMessage("a: expected an object with dtype, shape and data_offsets but found 3");
    }

    @Test
    void rejectsAnUnknownDtype() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"layers.0.g.a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4])))
                .hasMessage("layers.0.g.a.dtype: expected F64 or F32 but found \"BF16\"");
    }

    @Test
    void rejectsAMissingDtype() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\":{\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1))))
                .hasMessage("a.dtype: expected F64 or F32 but found nothing (the field is missing)");
    }

    @Test
    void rejectsAShapeWithANegativeDimension() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", doubles(1))))
                .hasMessage("a.shape: expected a list of non-negative integers but found [2,-1]");
    }

    @Test
    void rejectsAShapeThatIsNotAListOfIntegers() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", doubles(1))))
                .hasMessage("a.shape: expected a list of non-negative integers but found [1.5]");
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", doubles(1))))
                .hasMessage("a.shape: expected a list of non-negative integers but found \"2\"");
    }

    @Test
    void rejectsMalformedOffsets() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,0]}}", doubles(1))))
                .hasMessage("a.data_offsets: expected [begin, end] with 0 <= begin <= end but found [8,0]");
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0]}}", doubles(1))))
                .hasMessage("a.data_offsets: expected [begin, end] with 0 <= begin <= end but found [0]");
    }

    @Test
    void rejectsOffsetsThatDoNotMatchTheShape() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,48]}}", new byte[48])))
                .hasMessage("w.data_offsets: expected 24 bytes (shape [2, 3] x F32) but found 48 bytes [0, 48]");
    }

    @Test
    void rejectsOffsetsOutsideTheDataSection() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[100,116]}}", doubles(1, 2))))
                .hasMessage("w.data_offsets: expected an end within the data section of 16 bytes but found "
                        + "[100, 116] (truncated file?)");
    }

    @Test
    void rejectsOverlappingTensors() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}", doubles(1, 2, 3))))
                .hasMessage("b.data_offsets: expected a begin of 16 (right after a) but found [8, 24], which overlaps a");
    }

    @Test
    void rejectsAHoleBetweenTensors() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}", doubles(1, 2, 3))))
                .hasMessage("b.data_offsets: expected a begin of 8 (right after a) but found [16, 24], "
                        + "which leaves a hole of 8 bytes");
    }

    @Test
    void rejectsBytesAfterTheLastTensor() {
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1, 2))))
                .hasMessage("data section: expected 8 bytes (the tensors' total) but found 16 bytes "
                        + "(8 bytes not covered by any tensor)");
    }

    @Test
    void rejectsTruncatedData() {
        byte[] file = SafeTensors.toBytes(TENSORS);
        byte[] cut = Arrays.copyOf(file, file.length - 4);

        assertThatThrownBy(() -> SafeTensors.read(cut)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("head.bias.data_offsets: expected an end within the data section of ")
                .hasMessageEndingWith("(truncated file?)");
    }

    @Test
    void rejectsNaNNamingTheTensorAndFlatIndex() {
        byte[] data = doubles(1, 2, 3, 4, Double.NaN, 6);
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"layers.1.g.v\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]}}", data)))
                .hasMessage("layers.1.g.v: expected finite values but found NaN at flat index 4");
    }

    @Test
    void rejectsInfinityInF32() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NEGATIVE_INFINITY)
                .putFloat(1).array();
        assertThatThrownBy(() -> SafeTensors.read(raw(
                "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data)))
                .hasMessage("head.bias: expected finite values but found -Infinity at flat index 0");
    }

    @Test
    void rejectsMetadataThatIsNotStrings() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"__metadata__\":{\"epochs\":3}}", new byte[0])))
                .hasMessage("__metadata__.epochs: expected a string but found 3");
    }

    @Test
    void writerRefusesValuesItCouldNotReadBack() {
        Tensor nan = new Tensor("w", new int[] {2}, new double[] {0, Double.NaN});
        Tensor big = new Tensor("w", new int[] {1}, new double[] {1e300});

        assertThatThrownBy(() -> SafeTensors.toBytes(List.of(nan)))
                .hasMessage("w: expected finite F64 values but found NaN at flat index 1");
        assertThatThrownBy(() -> SafeTensors.toBytes(List.of(big), DType.F32, Map.of()))
                .hasMessage("w: expected finite F32 values but found 1.0E300 at flat index 0");
        assertThat(SafeTensors.read(SafeTensors.toBytes(List.of(big))).tensors().get(0).data()).containsExactly(1e300);
    }

    @Test
    void writerRefusesTheReservedName() {
        assertThatThrownBy(() -> SafeTensors.toBytes(List.of(Tensor.zeros(SafeTensors.METADATA, 1))))
                .hasMessageStartingWith("tensor name: expected a unique name other than __metadata__");
    }

    @Test
    void anEmptyFileHasNoTensors() {
        SafeTensors.Contents read = SafeTensors.read(SafeTensors.toBytes(List.of()));

        assertThat(read.tensors()).isEmpty();
        assertThat(read.metadata()).isEmpty();
    }

    /** A file with the given header text (unpadded) and data section. */
    @Test
    void rejectsMoreTensorsThanTheCapFromTheHeaderAlone() {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= SafeTensors.MAX_TENSORS; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F64\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        assertThatThrownBy(() -> SafeTensors.read(raw(header.append('}').toString(), new byte[0])))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("header: expected at most 65536 tensors but found 65537 tensors");
    }

    @Test
    void shapeProductsAndOffsetsPastLongRangeAreMessagesNotOverflows() {
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,"
                + "2147483647,8],\"data_offsets\":[0,8]}}", doubles(1))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("w.shape: expected at most 1073741824 bytes of data but found [2147483647, 2147483647, "
                        + "2147483647, 8]");
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":"
                + "[9223372036854775800,9223372036854775807]}}", doubles(1))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("w.data_offsets: expected 8 bytes (shape [1] x F64) but found 7 bytes");
        assertThatThrownBy(() -> SafeTensors.read(raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":"
                + "[0,92233720368547758070]}}", doubles(1))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("w.data_offsets: expected [begin, end] with 0 <= begin <= end");
    }

    @Test
    void deepNestingInTheHeaderIsAFormatErrorNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> SafeTensors.read(raw(deep, new byte[0])))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("header: expected a JSON object but found invalid JSON")
                .hasMessageContaining("nesting depth");
    }

    static byte[] raw(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    static byte[] doubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            buffer.putDouble(v);
        }
        return buffer.array();
    }
}
