package io.lrnn.server.hostile;

import static io.lrnn.server.hostile.RawHttp.ok;
import static io.lrnn.server.hostile.RawHttp.prompt;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.server.TestModels;
import io.lrnn.server.hostile.RawHttp.Body;
import io.lrnn.server.hostile.RawHttp.Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Hostile model uploads over real HTTP against the service in a JVM of its own at
 * {@value SmallHeapService#HEAP}: {@code model.json} files that declare far more than they hold,
 * malformed safetensors headers, weights that do not match, a missing part, a part over its
 * limit. Each is a 400 naming the problem within seconds, nothing is stored (the version is
 * absent afterwards), the JVM stays up, and the demo model answers as before.
 */
@ResourceLock(SmallHeapService.LOCK)
class HostileModelsTest {

    @RegisterExtension
    static final SmallHeapService SERVICE = SmallHeapService.withArgs("--lrnn.jobs.workers=0",
            "--lrnn.models.sync-interval=1h");

    static final String DEMO = "/api/v1/models/demo/predict";
    static final String DEMO_ROWS = "{\"instances\": [[0.1, -0.2], [0.5, 0.5], [-0.9, 0.3]]}";
    static final String HEADER = "{\"format\": \"lrnn-model\", \"formatVersion\": 1, \"task\": \"regression\", ";
    static final String HUGE_DENSE = HEADER + "\"inputs\": [\"x\"], \"outputs\": [\"y\"], \"layers\": ["
            + "{\"type\": \"dense\", \"width\": 30000, \"activation\": \"tanh\"}, "
            + "{\"type\": \"dense\", \"width\": 30000, \"activation\": \"tanh\"}]}";

    /** A valid model (x1..x3 to y1, y2), whose weights the safetensors cases take apart. */
    static final Model MODEL = TestModels.regression(7);
    static final byte[] JSON = ModelFiles.toJson(MODEL);
    static final byte[] WEIGHTS = TestModels.weights(MODEL);

    static RawHttp http;
    static String demoBefore;
    static int uploads;

    @BeforeAll
    static void answersBefore() {
        http = SERVICE.raw();
        demoBefore = ok(http.post(DEMO, Body.json(DEMO_ROWS)));
    }

    @AfterEach
    void stillUp() {
        SERVICE.assertAlive();
    }

    @AfterAll
    static void answersAsBeforeAndNothingStored() {
        SERVICE.assertAlive();
        assertThat(ok(http.post(DEMO, Body.json(DEMO_ROWS)))).isEqualTo(demoBefore);
        Response models = http.exchange("GET", "/api/v1/models", null);
        assertThat(models.json().size()).as(models.body()).isOne();
        assertThat(models.json().get(0).get("name").asString()).isEqualTo("demo");
        assertThat(models.json().get(0).get("notLoaded").size()).isZero();
    }

    // ---- model.json declaring far more than it holds ----

    @Test
    void twoDenseLayersOf30000InA300ByteModelJsonWithAnEightByteWeightsFile() {
        assertThat(HUGE_DENSE.length()).isLessThan(300);
        refused(HUGE_DENSE.getBytes(StandardCharsets.UTF_8), new byte[8], "model.json: layers[1].width: expected at "
                + "most 50000000 parameters in the network (lrnn.models.max-parameters) but found 900090000 up to "
                + "this layer, 900030000 of them in this one (dense width 30000 on 30000 inputs)");
    }

    @Test
    void anLrnnLayerWithAHugeWidthTimesProjection() {
        refused(modelJson("[\"x\"]", "{\"type\": \"lrnn\", \"width\": 100000, \"projection\": 100000, "
                + "\"hidden\": 8, \"activation\": \"sin\"}"), new byte[8],
                "model.json: layers[0]: width x projection x hidden: expected at most 2147483647 but found "
                        + "80000000000");
        // r x d x h fits an int, the parameters (r x d x 25 for the functions alone) do not fit the limit.
        refused(modelJson("[\"x\"]", "{\"type\": \"lrnn\", \"width\": 10000, \"projection\": 1000, "
                + "\"hidden\": 8, \"activation\": \"sin\"}"), new byte[8], "model.json: layers[0]",
                "(lrnn.models.max-parameters) but found 270000000 up to this layer");
    }

    @Test
    void parameterCountsJustOverTheLimit() {
        // Dense 1408 on 4 inputs, dense 35456, the head to 1 output: 7,040 + 49,992,960 + 1 = 50,000,001
        // parameters, each layer within its working set.
        refused(modelJson("[\"a\", \"b\", \"c\", \"d\"]",
                "{\"type\": \"dense\", \"width\": 1408, \"activation\": \"tanh\"}, "
                + "{\"type\": \"dense\", \"width\": 35456, \"activation\": \"tanh\"}"),
                new byte[8], "model.json: outputs: expected at most 50000000 parameters in the network "
                        + "(lrnn.models.max-parameters) but found 50000001 up to this layer, 35457 of them in this "
                        + "one");
    }

    // ---- malformed safetensors ----

    @Test
    void aHeaderLengthLargerThanTheFile() {
        refused(JSON, withLength(1000, "{}"), "weights.safetensors: header length: expected at most 2 bytes (the file "
                + "size minus 8) but found 1000");
    }

    @Test
    void aHeaderLengthWithTheTopBitSet() {
        refused(JSON, withLength(Long.MIN_VALUE | 16, "{}"), "weights.safetensors: header length: expected at most "
                + "2 bytes (the file size minus 8) but found 9223372036854775824");
    }

    @Test
    void aHundredMegabyteDeclaredHeader() {
        refused(JSON, withLength(100L << 20, "{" + " ".repeat(1 << 20) + "}"), "weights.safetensors: header length: "
                + "expected at most 1048578 bytes (the file size minus 8) but found 104857600");
    }

    @Test
    void aHeaderThatIsNotJson() {
        refused(JSON, safetensors("{not json", new byte[0]), "weights.safetensors: header: expected a JSON object but "
                + "found invalid JSON (Unexpected character ('n'");
    }

    @Test
    void tensorOffsetsPastTheEndOverlappingOrNegative() {
        String past = "{\"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 800000]}}";
        refused(JSON, safetensors(past, new byte[8]), "weights.safetensors: w.data_offsets: expected 8 bytes "
                + "(shape [1] x F64) but found 800000 bytes [0, 800000]");
        String overlapping = "{\"a\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [0, 16]}, "
                + "\"b\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [8, 24]}}";
        refused(JSON, safetensors(overlapping, new byte[24]), "weights.safetensors: b.data_offsets: expected a begin "
                + "of 16 (right after a) but found [8, 24], which overlaps a");
        String negative = "{\"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [-8, 0]}}";
        refused(JSON, safetensors(negative, new byte[8]), "weights.safetensors: w.data_offsets: expected [begin, end] "
                + "with 0 <= begin <= end but found [-8,0]");
    }

    @Test
    void aDtypeItDoesNotKnow() {
        String header = "{\"w\": {\"dtype\": \"Q4\", \"shape\": [1], \"data_offsets\": [0, 8]}}";
        refused(JSON, safetensors(header, new byte[8]), "weights.safetensors: w.dtype: expected F64 or F32 but found "
                + "\"Q4\"");
    }

    @Test
    void tensOfThousandsOfTensors() {
        // Within the tensor count (65,536): matched against the model, each extra one named in the count.
        refused(JSON, manyTensors(30_000), "weights.safetensors does not match model.json: layers.0.proj.weight: "
                + "expected a tensor of shape [24, 3] but found none (missing); ", "; and 30000 more");
        refused(JSON, manyTensors(70_000),
                "weights.safetensors: header: expected at most 65536 tensors but found 70000 tensors");
    }

    /** A header of {@code count} one-value F64 tensors, and their data. */
    private static byte[] manyTensors(int count) {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            header.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": {\"dtype\": \"F64\", "
                    + "\"shape\": [1], \"data_offsets\": [").append(8L * i).append(", ").append(8L * i + 8)
                    .append("]}");
        }
        return safetensors(header.append('}').toString(), new byte[8 * count]);
    }

    @Test
    void weightsThatDoNotMatchTheModel() {
        refused(JSON, TestModels.weights(TestModels.classifier(1)), "; head.weight: expected shape [2, 8] but found "
                + "[3, 4]; head.bias: expected shape [2] but found [3]; and 8 more");
    }

    // ---- the multipart request ----

    @Test
    void aMissingPart() {
        String version = version();
        Response response = prompt(http.exchange("PUT", "/api/v1/models/hostile/versions/" + version,
                multipart(Map.of("model", JSON))));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.message()).isEqualTo("weights: expected a multipart part named weights but found none");
        assertAbsent(version);
    }

    @Test
    void aModelJsonPartOverItsLimit() {
        byte[] padded = new byte[(int) ModelFiles.MAX_MODEL_JSON_BYTES + 1];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(JSON, 0, padded, 0, JSON.length);
        refused(padded, WEIGHTS, "model.json: expected at most " + ModelFiles.MAX_MODEL_JSON_BYTES + " bytes but found "
                + padded.length + " bytes");
    }

    @Test
    void aWeightsPartOverWhatAnUploadMayHold() {
        byte[] weights = new byte[48 << 20];
        System.arraycopy(WEIGHTS, 0, weights, 0, WEIGHTS.length);
        refused(JSON, weights, "weights.safetensors: expected files whose upload needs at most 128 MiB (half the "
                + "maximum heap) but found about 144 MiB (50331648 bytes of weights");
    }

    @Test
    void aBodyOverTheMultipartLimitsDeclaredOrStreamed() {
        // 257 MiB of weights, generated as they are sent: past spring.servlet.multipart.max-file-size (256MB).
        byte[] head = ("--hostile\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.json\"\r\n\r\n"
                + new String(JSON, StandardCharsets.UTF_8) + "\r\n--hostile\r\nContent-Disposition: form-data; "
                + "name=\"weights\"; filename=\"weights.safetensors\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        Body huge = new Body("multipart/form-data; boundary=hostile", head, new byte[1 << 20], 257,
                "\r\n--hostile--\r\n".getBytes(StandardCharsets.US_ASCII), false);
        // 300 MiB declared: past max-request-size (260MB), refused before the body is read.
        Body declared = new Body(huge.contentType(), head, huge.unit(), 300, huge.tail(), false);
        for (Body body : new Body[] {huge, huge.asChunked(), declared}) {
            String version = version();
            Response response = prompt(http.exchange("PUT", "/api/v1/models/hostile/versions/" + version, body));
            assertThat(response.status()).as(response.body()).isEqualTo(413);
            assertThat(response.message()).isEqualTo("upload: expected at most spring.servlet.multipart.max-file-size "
                    + "per part but found more");
            assertAbsent(version);
        }
    }

    // ---- helpers ----

    /** Uploads the pair as a new version: a 400 whose message contains {@code details}; the version is absent. */
    private static void refused(byte[] modelJson, byte[] weights, String... details) {
        String version = version();
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("model", modelJson);
        parts.put("weights", weights);
        Response response = prompt(http.exchange("PUT", "/api/v1/models/hostile/versions/" + version,
                multipart(parts)));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("type").asString()).isEqualTo("https://lrnn.io/problems/invalid-model");
        assertThat(response.message()).contains(details);
        assertAbsent(version);
        SERVICE.assertAlive();
    }

    private static String version() {
        return String.valueOf(++uploads);
    }

    private static void assertAbsent(String version) {
        assertThat(http.exchange("GET", "/api/v1/models/hostile/versions/" + version, null).status()).isEqualTo(404);
        assertThat(http.exchange("GET", "/api/v1/models/hostile", null).status()).isEqualTo(404);
    }

    private static byte[] modelJson(String inputs, String layer) {
        return (HEADER + "\"inputs\": " + inputs + ", \"outputs\": [\"y\"], \"layers\": [" + layer + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A safetensors file: the header's length (little-endian), the header, the data. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    /** A file declaring a header of {@code length} bytes, followed by {@code text}. */
    static byte[] withLength(long length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + bytes.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(bytes).array();
    }

    static Body multipart(Map<String, byte[]> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, bytes) -> {
            body.writeBytes(("--hostile\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        body.writeBytes("--hostile--\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Body("multipart/form-data; boundary=hostile", body.toByteArray(), false);
    }
}
