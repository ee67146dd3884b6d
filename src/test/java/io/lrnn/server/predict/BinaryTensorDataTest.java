package io.lrnn.server.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The binary tensor data codec: element layouts, the header's length, and checks made before bytes are read. */
class BinaryTensorDataTest {

    static final Model MODEL = OpenInferenceModels.regression(3);
    static final HexFormat HEX = HexFormat.of();

    static ByteBuffer le(String hex) {
        return ByteBuffer.wrap(HEX.parseHex(hex)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static double read(TensorDatatype type, String hex) {
        return type.read(le(hex), 0, () -> "x");
    }

    @Test
    void eachDatatypeReadsItsNativeLittleEndianLayout() {
        assertThat(read(TensorDatatype.FP64, "000000000000f03f")).isEqualTo(1.0);
        assertThat(read(TensorDatatype.FP32, "cdcccc3d")).isEqualTo((double) 0.1f);
        assertThat(read(TensorDatatype.INT8, "80")).isEqualTo(-128);
        assertThat(read(TensorDatatype.UINT8, "ff")).isEqualTo(255);
        assertThat(read(TensorDatatype.INT16, "0080")).isEqualTo(-32768);
        assertThat(read(TensorDatatype.UINT16, "ffff")).isEqualTo(65535);
        assertThat(read(TensorDatatype.INT32, "00000080")).isEqualTo(Integer.MIN_VALUE);
        assertThat(read(TensorDatatype.UINT32, "ffffffff")).isEqualTo(4294967295.0);
        assertThat(read(TensorDatatype.INT64, "0000000000000080")).isEqualTo((double) Long.MIN_VALUE);
        assertThat(read(TensorDatatype.UINT64, "ffffffffffffffff")).isEqualTo(18446744073709551615.0);
        assertThat(read(TensorDatatype.UINT64, "0100000000000080")).isEqualTo(9223372036854775809.0);
        assertThat(TensorDatatype.FP64.read(le("0000000000000000000000000000f0bf"), 1, () -> "x")).isEqualTo(-1.0);
        assertThat(TensorDatatype.INT16.bytes()).isEqualTo(2);
        assertThat(TensorDatatype.UINT64.bytes()).isEqualTo(8);
    }

    @Test
    void nonFiniteFloatsAreRefusedNamingTheElement() {
        assertThatThrownBy(() -> TensorDatatype.FP32.read(le("0000c07f"), 0, () -> "inputs[0].binary_data[0]"))
                .hasMessage("inputs[0].binary_data[0]: expected a finite FP32 number but found NaN");
        assertThatThrownBy(() -> read(TensorDatatype.FP64, "000000000000f07f"))
                .hasMessage("x: expected a finite FP64 number but found Infinity");
    }

    @Test
    void outputsEncodeAsFp64AndLengthPrefixedUtf8() {
        assertThat(HEX.formatHex(BinaryTensorData.encode(new double[] {1.0, -2.5})))
                .isEqualTo("000000000000f03f00000000000004c0");
        assertThat(HEX.formatHex(BinaryTensorData.encode(new String[] {"cat", "é", ""})))
                .isEqualTo("03000000636174" + "02000000c3a9" + "00000000");
    }

    @Test
    void theHeaderLengthIsAWholeNumberWithinTheCapAndTheBody() {
        assertThat(BinaryTensorData.headerLength("120", 200)).isEqualTo(120);
        assertThat(BinaryTensorData.headerLength("200", 200)).isEqualTo(200);
        assertThat(BinaryTensorData.headerLength("0", -1)).isZero();
        assertThat(BinaryTensorData.headerLength(String.valueOf(1 << 20), -1)).isEqualTo(1 << 20);
        assertThatThrownBy(() -> BinaryTensorData.headerLength("201", 200))
                .hasMessage("Inference-Header-Content-Length: expected a number of bytes from 0 to 200 (the body's "
                        + "Content-Length) but found 201");
        assertThatThrownBy(() -> BinaryTensorData.headerLength(String.valueOf((1 << 20) + 1), 1L << 30))
                .hasMessage("Inference-Header-Content-Length: expected a number of bytes from 0 to 1048576 (the "
                        + "longest JSON header) but found 1048577");
        for (String bad : new String[] {"", "-1", "+5", "1e3", "0x10", "9".repeat(20)}) {
            assertThatThrownBy(() -> BinaryTensorData.headerLength(bad, -1)).as(bad)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("Inference-Header-Content-Length: ");
        }
    }

    @Test
    void aChunkedRequestReadsJsonThenEachBinaryTensorInOrder() {
        String json = "{\"id\": \"7\", \"parameters\": {\"binary_data_output\": true}, \"inputs\": ["
                + "{\"name\": \"x1\", \"shape\": [2], \"datatype\": \"FP64\", "
                + "\"parameters\": {\"binary_data_size\": 16}},"
                + "{\"name\": \"x2\", \"shape\": [2], \"datatype\": \"INT8\", "
                + "\"parameters\": {\"binary_data_size\": 2}}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] data = HEX.parseHex("000000000000f03f" + "000000000000e0bf" + "fe" + "05");
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(header), new ByteArrayInputStream(data));

        OpenInferenceRequest request = BinaryTensorData.read(body, String.valueOf(header.length), -1, MODEL, 10);

        assertThat(request.id()).isEqualTo("7");
        assertThat(request.rows()).isDeepEqualTo(new double[][] {{1.0, -2.0}, {-0.5, 5.0}});
        assertThat(request.outputs()).containsExactly("predictions");
        assertThat(request.binaryOutputs()).containsExactly("predictions");
    }

    @Test
    void sizesAreCheckedBeforeAnyBinaryByteIsRead() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [4, 2], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 64}}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("binary data read before its size was checked");
            }
        };
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(header), untouchable);

        assertThatThrownBy(() -> BinaryTensorData.read(body, String.valueOf(header.length), -1, MODEL, 10))
                .hasMessage("inputs[0].parameters.binary_data_size: expected 32 bytes (shape [4, 2] of FP32, 4 bytes "
                        + "each) but found 64");
        InputStream declared = new SequenceInputStream(new ByteArrayInputStream(header), untouchable);
        assertThatThrownBy(() -> BinaryTensorData.read(declared, String.valueOf(header.length), header.length + 32L,
                MODEL, 10)).hasMessage("request body: expected 64 bytes after the " + header.length + "-byte JSON "
                + "header (the inputs' binary_data_size summed) but found 32 bytes");
    }

    @Test
    void aBodyShorterThanItsHeaderIsRefused() {
        byte[] header = "{\"inputs\": []}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BinaryTensorData.read(new ByteArrayInputStream(header), "100", -1, MODEL, 10))
                .hasMessage("Inference-Header-Content-Length: expected 100 bytes of JSON at the start of the body but "
                        + "found a body of 14 bytes");
    }
}
