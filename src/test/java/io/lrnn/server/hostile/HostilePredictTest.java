package io.lrnn.server.hostile;

import static io.lrnn.server.hostile.RawHttp.PROMPTLY;
import static io.lrnn.server.hostile.RawHttp.ok;
import static io.lrnn.server.hostile.RawHttp.prompt;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.hostile.RawHttp.Body;
import io.lrnn.server.hostile.RawHttp.Response;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Hostile predict requests over real HTTP against the service in a JVM of its own at
 * {@value SmallHeapService#HEAP}, on both APIs: every one is answered with a 4xx (or a 503 with
 * Retry-After once the memory budget is full) within seconds, the JVM stays up, and the demo
 * model answers exactly as before. The budget is a tenth of the heap here (about three maximal
 * bodies), so the floods meet it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(SmallHeapService.LOCK)
class HostilePredictTest {

    @RegisterExtension
    static final SmallHeapService SERVICE = SmallHeapService.withArgs("--lrnn.predict.memory-share=0.1",
            // More large-body slots than bodies fit in that share, so the memory budget is what refuses.
            "--lrnn.predict.max-large-bodies=4",
            "--lrnn.jobs.workers=0");

    static final int MAX_BODY = 8 * 1024 * 1024;
    /** A hostile request must be answered this fast (loose: the machine may be loaded). */
    static final String NATIVE = "/api/v1/models/demo/predict";
    static final String V2 = "/v2/models/demo/infer";
    static final String NATIVE_ROWS = "{\"instances\": [[0.1, -0.2], [0.5, 0.5], [-0.9, 0.3]]}";
    static final String V2_ROWS = "{\"inputs\": [{\"name\": \"input-0\", \"datatype\": \"FP64\", \"shape\": [3, 2], "
            + "\"data\": [0.1, -0.2, 0.5, 0.5, -0.9, 0.3]}]}";

    static RawHttp http;
    static String nativeBefore;
    static String v2Before;

    @BeforeAll
    static void answersBefore() {
        http = SERVICE.raw();
        nativeBefore = ok(http.post(NATIVE, Body.json(NATIVE_ROWS)));
        v2Before = ok(http.post(V2, Body.json(V2_ROWS)));
    }

    @AfterAll
    static void stillUpAndAnsweringAsBefore() {
        SERVICE.assertAlive();
        assertThat(ok(http.post(NATIVE, Body.json(NATIVE_ROWS)))).isEqualTo(nativeBefore);
        assertThat(ok(http.post(V2, Body.json(V2_ROWS)))).isEqualTo(v2Before);
    }

    // ---- floods of maximal bodies ----

    @Test
    @Order(1)
    void eightConcurrentMaximalNativeBodiesAreRefusedAtTheRowLimitOrByTheBudget() throws Exception {
        assertFlood(NATIVE, Body.json(nativeFlood()), "instances: expected at most 1000 rows "
                + "(lrnn.predict.max-batch) but found at least 1001 rows");
    }

    @Test
    @Order(2)
    void eightConcurrentMaximalV2BodiesAreRefusedAtTheValueLimitOrByTheBudget() throws Exception {
        assertFlood(V2, Body.json(v2Flood()), "request body: expected at most 7096 JSON values "
                + "(lrnn.predict.max-batch 1000 rows of 2 inputs, plus 4096) but found more");
    }

    @Test
    @Order(3)
    void chunkedMaximalBodiesOnBothApisAreRefusedTheSame() throws Exception {
        assertFlood(NATIVE, Body.json(nativeFlood()).asChunked(), "at least 1001 rows");
        assertFlood(V2, Body.json(v2Flood()).asChunked(), "at most 7096 JSON values");
    }

    @Test
    @Order(4)
    void aChunkedBodyPastTheSizeLimitIs413WhileItStreams() {
        byte[] padded = (" ".repeat(MAX_BODY + 1024) + NATIVE_ROWS).getBytes(StandardCharsets.US_ASCII);
        for (String path : List.of(NATIVE, V2)) {
            Response response = prompt(http.post(path, Body.json(padded).asChunked()));
            assertThat(response.status()).as(path).isIn(413, 503);
            if (response.status() == 413) {
                assertThat(response.message()).contains("expected at most " + MAX_BODY + " bytes");
            }
        }
    }

    // ---- the budget ----

    @Test
    @Order(5)
    void onceTheBudgetIsHeldByStalledBodiesTheNextIs503WithRetryAfterAndItIsReleasedAfterwards() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        Response refused = null;
        try {
            for (int i = 0; i < 12 && refused == null; i++) {
                Socket socket = http.stall(NATIVE, MAX_BODY, "{\"instances\": [");
                stalled.add(socket);
                refused = RawHttp.answerWithin(socket, Duration.ofSeconds(2));
            }
            assertThat(refused).as("a 503 once the budget is full").isNotNull();
            assertThat(stalled.size()).as("bodies admitted before it").isGreaterThan(1);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().get("retry-after")).isEqualTo("1");
            assertThat(refused.json().get("type").asString()).isEqualTo("https://lrnn.io/problems/predict-busy");
            assertThat(refused.message()).startsWith("predict: expected the memory of requests in flight within ");
            // A one-row request is charged a kibibyte, which the budget still has.
            assertThat(ok(http.post(NATIVE, Body.json(NATIVE_ROWS)))).isEqualTo(nativeBefore);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        Response afterwards = null;
        for (long deadline = System.nanoTime() + PROMPTLY.toNanos(); System.nanoTime() < deadline; ) {
            afterwards = http.post(NATIVE, Body.json(nativeFlood()));
            if (afterwards.status() != 503) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(afterwards.status()).as("the budget is released when the stalled clients leave").isEqualTo(400);
    }

    // ---- numbers, depth, strings ----

    @Test
    @Order(6)
    void anIntegerOf310DigitsIsA400NamingTheCell() {
        String huge = "1" + "0".repeat(309);
        assertBadRequest(NATIVE, "{\"instances\": [[0.5, " + huge + "]]}",
                "instances[0][1]: expected a finite number but found Infinity");
        assertBadRequest(V2, v2("[1, 2]", "[0.5, " + huge + "]"),
                "inputs[0].data[1]: expected a finite FP64 number but found Infinity");
    }

    @Test
    @Order(7)
    void finiteInputsThatOverflowInsideTheModelAre422NamingTheRowNeverNaN() {
        for (Response response : List.of(
                http.post(NATIVE, Body.json("{\"instances\": [[0.1, 0.2], [1e308, -1e308]]}")),
                http.post(V2, Body.json(v2("[2, 2]", "[0.1, 0.2, 1e308, -1e308]"))))) {
            prompt(response);
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.message()).startsWith("row 1: expected a finite y but found ");
            assertThat(response.body()).doesNotContain("\"NaN\"");
        }
    }

    @Test
    @Order(8)
    void deepNestingIsA400AtTheDepthLimit() {
        String deep = "[".repeat(200_000);
        assertBadRequest(NATIVE, "{\"other\": " + deep, "request body: expected JSON within the limits (depth 32");
        assertBadRequest(NATIVE, "{\"instances\": [" + deep, "instances[0][0]: expected a number but found array");
        assertBadRequest(V2, v2("[1, 2]", deep), "request body: expected JSON within the limits (depth 32");
    }

    @Test
    @Order(9)
    void aLongStringIsA400AtTheStringLimit() {
        String longString = "\"" + "a".repeat(4_000_000) + "\"";
        assertBadRequest(NATIVE, "{\"instances\": [[" + longString + ", 1]]}",
                "request body: expected JSON within the limits");
        assertBadRequest(V2, "{\"id\": " + longString + ", \"inputs\": []}",
                "request body: expected JSON within the limits");
        assertBadRequest(NATIVE, "{\"instances\": [{" + longString + ": 1}]}",
                "request body: expected JSON within the limits");
    }

    // ---- multipart ----

    @Test
    @Order(10)
    void aMultipartBodyIsRefusedOnEveryPathButTheUploadsBeforeItIsRead() {
        byte[] multipart = multipart(MAX_BODY - 1024);
        String[][] requests = {{"POST", NATIVE}, {"POST", "/api/v1/models/demo/versions/1/predict"}, {"POST", V2},
                {"POST", "/v2/models/demo/versions/1/infer"}, {"POST", "/api/v1/models/demo/versions/1"},
                {"PUT", "/api/v1/models/demo/default-version"}, {"POST", "/api/v1/training-jobs"},
                {"PUT", "/api/v1/datasets"}, {"POST", "/api/v1/datasets/ds-1"}, {"GET", "/api/v1/models"},
                {"POST", "/v2"}, {"POST", "/nowhere"}, {"POST", "/actuator/health"}};
        for (String[] request : requests) {
            for (boolean chunked : new boolean[] {false, true}) {
                Body body = new Body("multipart/form-data; boundary=hostile", multipart, chunked);
                Response response = prompt(http.exchange(request[0], request[1], body));
                assertThat(response.status()).as("%s %s", request[0], request[1]).isEqualTo(415);
                assertThat(response.message()).startsWith("Content-Type: expected a multipart body only on "
                        + "PUT /api/v1/models/{name}/versions/{version} and POST /api/v1/datasets but found "
                        + "multipart/form-data; boundary=hostile on " + request[0] + " " + request[1]);
            }
        }
    }

    // ---- helpers ----

    /** Eight concurrent copies of {@code body}: each is a 400 with {@code detail}, or a 503 with Retry-After. */
    private static void assertFlood(String path, Body body, String detail) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> http.post(path, body)));
            }
            int refusedAtTheLimit = 0;
            for (Future<Response> answer : answers) {
                Response response = prompt(answer.get());
                assertThat(response.status()).as(response.body()).isIn(400, 503);
                if (response.status() == 400) {
                    assertThat(response.message()).contains(detail);
                    refusedAtTheLimit++;
                } else {
                    assertThat(response.headers()).containsEntry("retry-after", "1");
                }
            }
            assertThat(refusedAtTheLimit).as("answers that read the body up to the limit").isPositive();
        } finally {
            pool.shutdownNow();
        }
        SERVICE.assertAlive();
    }

    private static void assertBadRequest(String path, String body, String detailStart) {
        Response response = prompt(http.post(path, Body.json(body)));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.message()).startsWith(detailStart);
    }

    static String v2(String shape, String data) {
        return "{\"inputs\": [{\"name\": \"input-0\", \"datatype\": \"FP64\", \"shape\": " + shape
                + ", \"data\": " + data + "}]}";
    }

    /** {@code {"instances": [[1,2],[1,2],...]}} just under the body size limit: about 1.4M rows. */
    static byte[] nativeFlood() {
        return fill("{\"instances\": [[1,2]", ",[1,2]", "]}");
    }

    /** One [N, 2] tensor of about 4M values just under the body size limit. */
    static byte[] v2Flood() {
        int values = (MAX_BODY - 200) / 2;
        return fill("{\"inputs\": [{\"name\": \"input-0\", \"datatype\": \"FP64\", \"shape\": [" + values / 2
                + ", 2], \"data\": [1", ",1", "]}]}");
    }

    private static byte[] fill(String head, String repeated, String tail) {
        StringBuilder body = new StringBuilder(MAX_BODY).append(head);
        while (body.length() + repeated.length() + tail.length() <= MAX_BODY - 64) {
            body.append(repeated);
        }
        return body.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A multipart body of about {@code size} bytes: one file part. */
    static byte[] multipart(int size) {
        String head = "--hostile\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        String tail = "\r\n--hostile--\r\n";
        return (head + "a,b\n".repeat((size - head.length() - tail.length()) / 4) + tail)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
