package io.lrnn.server.hostile;

import static io.lrnn.server.hostile.RawHttp.ok;
import static io.lrnn.server.hostile.RawHttp.prompt;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.hostile.RawHttp.Body;
import io.lrnn.server.hostile.RawHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Hostile data sets over real HTTP against the service in a JVM of its own at
 * {@value SmallHeapService#HEAP}: giant CSV rows, cells and headers, numbers that defeat a
 * backtracking pattern or the double range, too many columns or rows, JSON rows and inline
 * training {@code data} nested deep or holding huge strings and numbers, bodies past
 * {@code lrnn.datasets.max-size} with a length and chunked. Each is a 4xx naming the problem within
 * seconds, nothing is stored, the JVM stays up, and the demo model answers as before.
 */
@ResourceLock(SmallHeapService.LOCK)
class HostileDatasetsTest {

    /**
     * max-size is a quarter of its default here, so that the bodies past it (which are read, and
     * parsed, up to it) cost a few seconds, not half a minute; every giant row, cell and header
     * below is far past it too, and its answer shows that its own limit refused it first.
     */
    @RegisterExtension
    static final SmallHeapService SERVICE = SmallHeapService.withArgs("--lrnn.jobs.workers=0",
            "--lrnn.models.sync-interval=1h", "--lrnn.datasets.max-size=16MB");

    static final String DATASETS = "/api/v1/datasets";
    static final String JOBS = "/api/v1/training-jobs";
    static final String DEMO = "/api/v1/models/demo/predict";
    static final String DEMO_ROWS = "{\"instances\": [[0.1, -0.2], [0.5, 0.5], [-0.9, 0.3]]}";
    static final int MB = 1 << 20;
    static final String CELL = "row 2, column 2: expected at most 65536 characters in a cell "
            + "(lrnn.datasets.max-cell-length) but found more";
    static final String TOO_LARGE = "data set: expected at most 16777216 bytes (lrnn.datasets.max-size) but found more";

    static RawHttp http;
    static String demoBefore;

    @BeforeAll
    static void answersBefore() {
        http = SERVICE.raw();
        demoBefore = ok(http.post(DEMO, Body.json(DEMO_ROWS)));
    }

    @AfterEach
    void stillUpAndNothingStored() {
        SERVICE.assertAlive();
        assertThat(ok(http.exchange("GET", DATASETS, null))).isEqualTo("[]");
    }

    @AfterAll
    static void answersAsBeforeAndNothingStored() {
        SERVICE.assertAlive();
        assertThat(ok(http.post(DEMO, Body.json(DEMO_ROWS)))).isEqualTo(demoBefore);
        assertThat(ok(http.exchange("GET", JOBS, null))).isEqualTo("[]");
    }

    // ---- CSV: giant rows, cells, headers ----

    @Test
    void aFortyMegabyteRow() {
        // 1,000 cells of 40,000 digits: each within the cell limit, the record far past its own.
        Body row = csv("a,b\n", "9".repeat(40_000) + ",", 1000, "\n");
        for (Body body : new Body[] {row, row.asChunked()}) {
            refused(DATASETS, body, 400, "row 2: expected at most 1048576 characters in a record "
                    + "(lrnn.datasets.max-record-length) but found more");
        }
        refused(DATASETS, csv("a,b\n", "1,", 20 * MB, "1\n"), 400, "row 2: expected at most 1000 cells in a record "
                + "(lrnn.datasets.max-columns) but found more");
    }

    @Test
    void oneCellOfFortyMegabytes() {
        for (Body body : new Body[] {csv("a,b\n1,", "9", 40 * MB, "\n"), csv("a,b\n1,\"", "x", 40 * MB, "\"\n")}) {
            refused(DATASETS, body, 400, CELL);
            refused(DATASETS, body.asChunked(), 400, CELL);
        }
    }

    @Test
    void aHeaderOf200000Columns() {
        refused(DATASETS, csv("c", ",c", 199_999, "\n1\n"), 400, "row 1: expected at most 1000 cells in a record "
                + "(lrnn.datasets.max-columns) but found more");
    }

    @Test
    void aHeaderCellOfTenMegabytes() {
        refused(DATASETS, csv("", "a", 10 * MB, ",b\n1,2\n"), 400, "row 1, column 1: expected at most 65536 characters "
                + "in a cell (lrnn.datasets.max-cell-length) but found more");
    }

    // ---- CSV: numbers ----

    @Test
    void cellsOf40000DigitsThenXAreTextAndAnsweredQuickly() {
        Response response = prompt(http.post(DATASETS + "?name=digits", csv("a,b\n", "1".repeat(40_000) + "x,1\n",
                100, "")));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().get("rows").asInt()).isEqualTo(100);
        String id = response.json().get("id").asString();
        assertThat(http.exchange("DELETE", DATASETS + "/" + id, null).status()).isEqualTo(204);
    }

    @Test
    void aFourHundredDigitIntegerCell() {
        refused(DATASETS, csv("a,b\n1,2\n3,1", "0", 399, "\n"), 400, "row 3, column 'b': expected a number within the "
                + "double range (magnitude below 1.8e308) but found a number of 400 characters beyond it");
    }

    // ---- CSV: counts ----

    @Test
    void moreColumnsThanTheLimit() {
        refused(DATASETS, csv("c", ",c", 1000, "\n"), 400, "row 1: expected at most 1000 cells in a record "
                + "(lrnn.datasets.max-columns) but found more");
        refused(DATASETS, csv("a,b\n1,2\n1", ",1", 1000, "\n"), 400, "row 3: expected at most 1000 cells in a record");
        refused(DATASETS, csv("a,b\n1,2\n1,2,3\n", "", 0, ""), 400, "row 3: expected 2 cells but found 3 cells");
    }

    @Test
    void moreRowsThanTheLimit() {
        refused(DATASETS, csv("a\n", "1\n", 1_000_001, ""), 400,
                "rows: expected at most 1000000 (lrnn.datasets.max-rows) but found more (row 1000002)");
    }

    @Test
    void aBodyPastTheMaximumSizeWithALengthOrChunked() {
        // 100 cells of 8 characters a row: 22,000 rows, within the row limit, 17.6 MB in all.
        StringBuilder header = new StringBuilder("c0");
        for (int c = 1; c < 100; c++) {
            header.append(",c").append(c);
        }
        Body body = csv(header + "\n", "1234567,".repeat(99) + "1234567\n", 22_000, "");
        assertThat(body.length()).isGreaterThan(16L * MB);
        refused(DATASETS, body, 413, TOO_LARGE);
        refused(DATASETS, body.asChunked(), 413, TOO_LARGE);
        Body rows = json("{\"columns\": [\"a\", \"b\"], \"rows\": [", "[1234567, 1234567],", 900_000,
                "[1, 2]]}");
        assertThat(rows.length()).isGreaterThan(16L * MB);
        refused(DATASETS, rows, 413, TOO_LARGE);
        refused(DATASETS, rows.asChunked(), 413, TOO_LARGE);
        String part = "--hostile\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + header + "\n";
        Body multipart = Body.repeated("multipart/form-data; boundary=hostile", part,
                "1234567,".repeat(99) + "1234567\n", 22_000, "\r\n--hostile--\r\n");
        refused(DATASETS, multipart, 413, TOO_LARGE);
    }

    // ---- JSON rows ----

    @Test
    void jsonRowsNestedDeep() {
        refused(DATASETS, json("{\"columns\": [\"a\"], \"rows\": [", "[", 200_000, ""), 400, "rows[0][0]: expected a "
                + "finite number or a string but found an array");
        refused(DATASETS, json("{\"other\": ", "[", 200_000, ""), 400,
                "request body: expected JSON within the data set limits",
                "Document nesting depth (33) exceeds the maximum allowed (32");
    }

    @Test
    void jsonRowsWithHugeStrings() {
        String limits = "request body: expected JSON within the data set limits (lrnn.datasets.max-cell-length for "
                + "strings) but found ";
        refused(DATASETS, json("{\"columns\": [\"a\"], \"rows\": [[\"", "x", 40 * MB, "\"]]}"), 400, limits,
                "exceeds the maximum allowed (65536");
        refused(DATASETS, json("{\"columns\": [\"", "x", 10 * MB, "\"], \"rows\": [[1]]}"), 400, limits,
                "exceeds the maximum allowed (65536");
        refused(DATASETS, json("{\"", "x", 10 * MB, "\": 1}"), 400, limits, "Name length");
    }

    @Test
    void jsonRowsWithHugeNumbers() {
        refused(DATASETS, json("{\"columns\": [\"a\", \"b\"], \"rows\": [[1, 2], [3, 1", "0", 399, "]]}"), 400,
                "rows[1][1]: expected a finite number or a string but found a number beyond the double range");
        refused(DATASETS, json("{\"columns\": [\"a\"], \"rows\": [[1", "0", 4000, "]]}"), 400, "request body: expected "
                + "JSON within the data set limits", "Number value length (4001) exceeds the maximum allowed (1000");
        refused(DATASETS, json("{\"columns\": [\"a\"], \"rows\": [[1e999]]}", "", 0, ""), 400,
                "rows[0][0]: expected a finite number or a string but found a number beyond the double range");
    }

    @Test
    void jsonRowsWithTooManyColumnsOrRows() {
        refused(DATASETS, json("{\"columns\": [\"c\"", ", \"c\"", 200_000, "], \"rows\": [[1]]}"), 400,
                "columns: expected at most 1000 (lrnn.datasets.max-columns) but found more");
        refused(DATASETS, json("{\"columns\": [\"a\"], \"rows\": [", "[1], ", 1_000_000, "[1]]}"), 400,
                "rows: expected at most 1000000 (lrnn.datasets.max-rows) but found more (rows[1000000])");
    }

    // ---- inline training data ----

    @Test
    void inlineTrainingDataNestedDeepHugeStringsHugeNumbers() {
        String head = "{\"modelName\": \"hostile\", \"targets\": [\"b\"], \"data\": {\"columns\": [\"a\", \"b\"], "
                + "\"rows\": [[1, 2], ";
        refused(JOBS, json(head, "[", 200_000, ""), 400, "request body: expected well-formed JSON but found Document "
                + "nesting depth (501) exceeds the maximum allowed (500");
        refused(JOBS, json(head + "[1, \"", "x", 4 * MB, "\"]]}}"), 400,
                "rows[1][1]: expected at most 65536 characters in a cell (lrnn.datasets.max-cell-length) but found "
                        + "4194304 characters");
        refused(JOBS, json(head + "[1, 1", "0", 399, "]]}}"), 400, "rows[1][1]: expected a finite number or a string "
                + "but found a number beyond the double range");
        refused(JOBS, json(head + "[1, 1", "0", 4000, "]]}}"), 400, "request body: expected well-formed JSON but found "
                + "Number value length (4001) exceeds the maximum allowed (1000");
        Body huge = json(head + "[1, \"", "x", 40 * MB, "\"]]}}");
        refused(JOBS, huge, 413, "request body: expected at most 8388608 bytes (lrnn.predict.max-body-size) but found "
                + "Content-Length " + huge.length());
        refused(JOBS, huge.asChunked(), 413, "request body: expected at most 8388608 bytes "
                + "(lrnn.predict.max-body-size) but found more");
    }

    // ---- helpers ----

    private static void refused(String path, Body body, int status, String... details) {
        Response response = prompt(http.post(path, body));
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.message()).contains(details);
    }

    static Body csv(String head, String unit, long count, String tail) {
        return Body.repeated("text/csv", head, unit, count, tail);
    }

    static Body json(String head, String unit, long count, String tail) {
        return Body.repeated("application/json", head, unit, count, tail);
    }
}
