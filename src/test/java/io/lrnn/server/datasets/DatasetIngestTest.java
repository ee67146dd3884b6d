package io.lrnn.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Data set ingestion through {@link DatasetService}, stored in memory. */
class DatasetIngestTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final MemoryDatasets repository = new MemoryDatasets();
    DatasetService service = service(DataSize.ofMegabytes(1), 1000, 20);

    DatasetService service(DataSize maxSize, int maxRows, int maxColumns) {
        return service(new LrnnProperties.Datasets(maxSize, maxRows, maxColumns));
    }

    DatasetService service(LrnnProperties.Datasets limits) {
        LrnnProperties properties = TestProperties.of(limits);
        return new DatasetService(repository, id -> Optional.empty(), properties,
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC),
                TransactionOperations.withoutTransaction());
    }

    /** A data set from a JSON tree, as inline training data arrives. */
    Dataset fromTree(String name, JsonNode body) {
        return service.insert(service.prepare(name, body));
    }

    /** Every column of a data set. */
    Table load(String id) {
        return service.load(id, service.get(id).columnNames(), () -> { });
    }

    Dataset csv(String text) {
        return service.createFromCsv("t", stream(text));
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void quotedCellsWithCommasQuotesAndLineBreaksAreOneTextCellEach() {
        Dataset d = csv("x,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n");
        assertThat(d.rows()).isEqualTo(3);
        assertThat(d.columns()).containsExactly(new Dataset.Column("x", true, null, 3),
                new Dataset.Column("note", false, "row 2: 'a, b'", 3));
        Table table = load(d.id());
        assertThat(table.numbers()[0]).containsExactly(1, 2, 3);
        assertThat(table.texts()[1]).containsExactly("a, b", "say \"hi\"", "two\nlines");
    }

    @Test
    void bomCrlfSpacesAndABlankTrailingLineNormaliseAway() throws Exception {
        Dataset plain = csv("x,y\n1,2\n3,4\n");
        Dataset messy = csv("\uFEFF x , y \r\n1.0, 2\r\n 3 ,4.00\r\n\r\n");
        assertThat(messy.columnNames()).containsExactly("x", "y");
        assertThat(messy.rows()).isEqualTo(2);
        assertThat(messy.digest()).isEqualTo(plain.digest()).isEqualTo(sha256("x,y\n1,2\n3,4\n"));
        assertThat(messy.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(load(messy.id()).numbers()).isDeepEqualTo(new double[][] {{1, 3}, {2, 4}});
    }

    @Test
    void theDigestIsOfTheNormalisedCsvWhicheverWayTheDataCame() throws Exception {
        String normalised = "x1,x2,label\n1,2.5,pos\n0,300,\"a, b\"\n-0.125,1.0E-7,7\n";
        Dataset fromCsv = csv("x1,x2,label\n1.0, 2.50 ,pos\n-0,3e2,\"a, b\"\n-.125,0.0000001,7\n");
        Dataset fromJson = fromTree("j", json("""
                {"columns": ["x1", "x2", "label"],
                 "rows": [[1, 2.5, "pos"], [0, 300, "a, b"], ["-0.125", 1e-7, 7]]}"""));
        assertThat(fromCsv.digest()).isEqualTo(sha256(normalised));
        assertThat(fromJson.digest()).isEqualTo(fromCsv.digest());
        assertThat(fromJson.columnNames()).isEqualTo(fromCsv.columnNames());
        assertThat(fromJson.columns()).extracting(Dataset.Column::numeric).containsExactly(true, true, false);
        assertThat(csv("x1,x2,label\n1,2.5,pos\n0,300,\"a, b\"\n-0.125,1.0E-7,8\n").digest())
                .as("one cell changed").isNotEqualTo(fromCsv.digest());
    }

    @Test
    void textColumnsKeepTheirCellsAsWrittenAndNameTheFirstText() {
        Dataset d = csv("code,x\n007,1\n1.50,2\nabc,3\n");
        assertThat(d.column("code")).isEqualTo(new Dataset.Column("code", false, "row 4: 'abc'", 3));
        assertThat(d.column("x").numeric()).isTrue();
        assertThat(load(d.id()).texts()[0]).containsExactly("007", "1.50", "abc");
    }

    @Test
    void headerProblemsAreNamed() {
        assertThatThrownBy(() -> csv("")).hasMessage(
                "header: expected a first row naming the columns but found an empty data set");
        assertThatThrownBy(() -> csv("\n1,2\n")).hasMessage(
                "header: expected a first row naming the columns but found an empty data set");
        assertThatThrownBy(() -> csv("x,y,x\n1,2,3\n")).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("header, column 3: expected distinct column names but found 'x' a second time");
        assertThatThrownBy(() -> csv("x, ,y\n1,2,3\n"))
                .hasMessage("header, column 2: expected a column name but found an empty cell");
        assertThatThrownBy(() -> csv("x,y\n")).hasMessage("rows: expected at least one data row but found none");
    }

    @Test
    void rowsWithTooFewOrTooManyCellsAreNamedCountingTheHeaderAsRowOne() {
        assertThatThrownBy(() -> csv("x,y\n1,2\n3\n")).hasMessage("row 3: expected 2 cells but found 1 cells");
        assertThatThrownBy(() -> csv("x,y\n1,2,3\n")).hasMessage("row 2: expected 2 cells but found 3 cells");
        assertThatThrownBy(() -> csv("x,y\n1,2\n\n\"a\nb\",1\n4,5,6\n"))
                .as("blank lines and quoted line breaks: rows as a spreadsheet shows them")
                .hasMessage("row 5: expected 2 cells but found 3 cells");
    }

    @Test
    void anEmptyCellNamesRowAndColumn() {
        assertThatThrownBy(() -> csv("x,y\n1,2\n3, \n")).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("row 3, column 'y': expected a value but found an empty cell");
        assertThatThrownBy(() -> csv("x,y\n\"\",2\n")).hasMessage(
                "row 2, column 'x': expected a value but found an empty cell");
    }

    @Test
    void anUnclosedQuoteIsABadRequestNamingTheLine() {
        assertThatThrownBy(() -> csv("x,y\n1,\"2\n")).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("data set: expected CSV but line 2: a quoted cell is not closed");
    }

    @Test
    void rowColumnAndSizeLimits() {
        service = service(DataSize.ofBytes(18), 2, 3);
        assertThat(csv("a,b,c\n1,2,3\n4,5,6\n").rows()).as("18 bytes, 2 rows, 3 columns: at the limits").isEqualTo(2);
        assertThatThrownBy(() -> csv("a,b,c\n1,2,3\n4,5,6\n7")).isInstanceOf(DatasetTooLargeException.class)
                .hasMessage("data set: expected at most 18 bytes (lrnn.datasets.max-size) but found more");
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"columns\": [\"a\"], \"rows\": [[1]]}")))
                .isInstanceOf(DatasetTooLargeException.class);
        service = service(DataSize.ofMegabytes(1), 2, 3);
        assertThatThrownBy(() -> csv("a,b,c\n1,2,3\n4,5,6\n\n7,8,9\n"))
                .hasMessage("rows: expected at most 2 (lrnn.datasets.max-rows) but found more (row 5)");
        assertThatThrownBy(() -> csv("a,b,c,d\n1,2,3,4\n"))
                .hasMessage("row 1: expected at most 3 cells in a record (lrnn.datasets.max-columns) but found more");
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void jsonCellsMustBeFiniteNumbersOrStrings() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("[[1, true]]", "rows[0][1]: expected a finite number or a string but found true");
        bad.put("[[1, 2], [null, 2]]", "rows[1][0]: expected a finite number or a string but found null");
        bad.put("[[1, [2]]]", "rows[0][1]: expected a finite number or a string but found an array");
        bad.put("[[1, {\"v\": 2}]]", "rows[0][1]: expected a finite number or a string but found an object");
        bad.put("[[1, 1e999]]", "rows[0][1]: expected a finite number or a string but found a number beyond the double range");
        bad.put("[[1, 2], 5]", "rows[1]: expected an array of cells but found 5");
        bad.put("[[1, 2], [3]]", "rows[1]: expected 2 cells but found 1 cells");
        bad.put("[[1, 2], [\"\"]]", "rows[1]: expected 2 cells but found 1 cells");
        bad.put("[[1, 2], [3, \" \"]]", "rows[1], column 'b': expected a value but found an empty cell");
        bad.put("[]", "rows: expected at least one data row but found none");
        bad.forEach((rows, message) -> assertThatThrownBy(
                () -> fromTree("j", json("{\"columns\": [\"a\", \"b\"], \"rows\": " + rows + "}")))
                .as(rows).isInstanceOf(InvalidDatasetException.class).hasMessage(message));
        assertThatThrownBy(() -> fromTree("j", json("{\"columns\": [\"a\", 2], \"rows\": [[1, 2]]}")))
                .hasMessage("columns[1]: expected a column name (a string) but found 2");
        assertThatThrownBy(() -> fromTree("j", json("{\"columns\": [\"a\"]}"))).hasMessage(
                "data: expected {\"columns\": [names], \"rows\": [[cells], ...]} but found fields [columns]");
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"columns\": [")))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("request body: expected well-formed JSON but found ");
        assertThat(fromTree("j", json("{\"columns\": [\"a\", \"b\"], \"rows\": [[1, \"x\"]]}"))
                .column("b")).isEqualTo(new Dataset.Column("b", false, "rows[0]: 'x'", 1));
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void namesDefaultAndAreLimited() {
        assertThat(service.createFromCsv(null, stream("x,y\n1,2\n")).name()).isEqualTo("dataset");
        assertThat(service.createFromCsv("  sales  ", stream("x,y\n1,2\n")).name()).isEqualTo("sales");
        assertThatThrownBy(() -> service.createFromCsv("n".repeat(129), stream("x,y\n1,2\n")))
                .hasMessage("name: expected at most 128 characters but found 129");
    }

    @Test
    void integersBeyondTheDoubleRangeNameTheirCell() {
        String huge = "1" + "0".repeat(399);
        assertThatThrownBy(() -> csv("x,y\n1,2\n3," + huge + "\n")).isInstanceOf(InvalidDatasetException.class)
                .hasMessage("row 3, column 'y': expected a number within the double range (magnitude below 1.8e308) "
                        + "but found a number of 400 characters beyond it");
        assertThatThrownBy(() -> csv("x,y\n-1e999,2\n")).hasMessageStartingWith("row 2, column 'x': expected a number");
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"columns\": [\"a\", \"b\"], \"rows\": [[1, 2], [3, "
                + huge + "]]}"))).isInstanceOf(InvalidDatasetException.class).hasMessage(
                "rows[1][1]: expected a finite number or a string but found a number beyond the double range");
        assertThatThrownBy(() -> fromTree("j", json("{\"columns\": [\"a\"], \"rows\": [[-" + huge + "]]}")))
                .hasMessage("rows[0][0]: expected a finite number or a string but found a number beyond the double range");
        assertThat(csv("x,y\n1,\"" + huge + "z\"\n").column("y").numeric()).as("not a number: text").isFalse();
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void csvCellAndRecordLimitsComeFromTheProperties() {
        service = service(new LrnnProperties.Datasets(DataSize.ofMegabytes(1), 1000, 20, 8, 30));
        assertThat(csv("abcdefgh,y\n12345678,2\n").rows()).isEqualTo(1);
        assertThatThrownBy(() -> csv("x,y\n123456789,2\n")).isInstanceOf(InvalidDatasetException.class).hasMessage(
                "row 2, column 1: expected at most 8 characters in a cell (lrnn.datasets.max-cell-length) but found more");
        assertThatThrownBy(() -> csv("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n")).hasMessage(
                "row 1: expected at most 30 characters in a record (lrnn.datasets.max-record-length) but found more");
        assertThatThrownBy(() -> csv(",".repeat(20) + "\n")).hasMessage(
                "row 1: expected at most 20 cells in a record (lrnn.datasets.max-columns) but found more");
    }

    @Test
    void jsonRowsAreCheckedWhileTheyStreamIn() {
        service = service(new LrnnProperties.Datasets(DataSize.ofMegabytes(1), 3, 4, 8, 30));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"columns\": [\"a\", \"b\"], \"rows\": [[1, 2, 3, ", "rows[0]: expected 2 cells but found more");
        bad.put("{\"columns\": [\"a\", \"b\", \"c\", \"d\", \"e\", ", "columns: expected at most 4 "
                + "(lrnn.datasets.max-columns) but found more");
        bad.put("{\"columns\": [\"a\"], \"rows\": [[1], [2], [3], [4], ",
                "rows: expected at most 3 (lrnn.datasets.max-rows) but found more (rows[3])");
        bad.put("{\"columns\": [\"a\", \"b\"], \"rows\": [[\"12345678\", \"12345678\"], [\"12345678\", \"12345678\", \"1\"",
                "rows[1]: expected 2 cells but found more");
        bad.put("{\"columns\": [\"a\", \"b\", \"c\", \"d\"], \"rows\": [[\"1234567\", \"1234567\", \"1234567\", \"1234567\"]",
                "rows[0]: expected at most 30 characters of cells (lrnn.datasets.max-record-length) but found more");
        bad.put("{\"rows\": [[1]], \"columns\": [\"a\"]}", "data: expected \"columns\" before \"rows\" but found "
                + "\"rows\" first");
        bad.put("{\"columns\": [\"a\"], \"rows\": [[1]]} {}", "request body: expected one JSON object but found more after it");
        bad.forEach((body, message) -> assertThatThrownBy(() -> service.createFromJson("j", stream(body)))
                .as(body).isInstanceOf(InvalidDatasetException.class).hasMessage(message));
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"columns\": [\"a\"], \"rows\": [[\""
                + "x".repeat(10_000) + "\"]]}"))).isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("request body: expected JSON within the data set limits "
                        + "(lrnn.datasets.max-cell-length for strings) but found ");
        assertThatThrownBy(() -> fromTree("j", json("{\"columns\": [\"a\"], \"rows\": [[\"123456789\"]]}")))
                .as("inline data, parsed as a tree").hasMessage("rows[0][0]: expected at most 8 characters in a cell "
                        + "(lrnn.datasets.max-cell-length) but found 9 characters");
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"note\": " + "[".repeat(100_000))))
                .as("deep nesting, even in an ignored field").isInstanceOf(InvalidDatasetException.class)
                .hasMessageStartingWith("request body: expected JSON within the data set limits");
        assertThat(service.createFromJson("j", stream("{\"name\": {\"ignored\": [1]}, \"columns\": [\"a\"], "
                + "\"rows\": [[\"12345678\"]]}")).rows()).isEqualTo(1);
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void distinctValuesAreCountedUpToTheCap() {
        StringBuilder text = new StringBuilder("few,many,number\n");
        for (int r = 0; r < Dataset.MAX_DISTINCT + 1; r++) {
            text.append(r % 3 == 0 ? "a" : "b").append(",v").append(r).append(',').append(r % 7).append('\n');
        }
        service = service(DataSize.ofMegabytes(1), 10_000, 20);
        Dataset d = csv(text.toString());
        assertThat(d.column("few").distinct()).isEqualTo(2);
        assertThat(d.column("many").distinct()).as("over the cap").isNull();
        assertThat(d.column("number").distinct()).isEqualTo(7);
        StringBuilder atCap = new StringBuilder("v\n");
        for (int r = 0; r < Dataset.MAX_DISTINCT; r++) {
            atCap.append('v').append(r).append('\n').append('v').append(r).append('\n');
        }
        assertThat(csv(atCap.toString()).column("v").distinct()).isEqualTo(Dataset.MAX_DISTINCT);
    }

    @Test
    void loadHoldsOnlyTheColumnsAskedForAndChecksPointsAsItGoes() {
        StringBuilder text = new StringBuilder("x,note,label,y\n");
        int rows = 3 * DatasetService.CHECK_EVERY + 5;
        for (int r = 0; r < rows; r++) {
            text.append(r).append(",note ").append(r).append(',').append(r % 2 == 0 ? "even" : "odd").append(',')
                    .append(r * 0.5).append('\n');
        }
        service = service(DataSize.ofMegabytes(1), 10_000, 20);
        Dataset d = csv(text.toString());
        int[] checks = {0};
        Table table = service.load(d.id(), List.of("y", "label"), () -> checks[0]++);
        assertThat(table.columns()).containsExactly("y", "label");
        assertThat(table.numbers()).hasNumberOfRows(2);
        assertThat(table.numbers()[0][3]).isEqualTo(1.5);
        assertThat(table.texts()[1][3]).isEqualTo("odd");
        assertThat(table.texts()[1][2]).isSameAs(table.texts()[1][0]).as("equal labels share one String");
        assertThat(checks[0]).isEqualTo(1 + 4);
        assertThatThrownBy(() -> service.load(d.id(), List.of("x", "z"), () -> { }))
                .hasMessageStartingWith("columns: expected columns of data set " + d.id());
        int[] calls = {0};
        assertThatThrownBy(() -> service.load(d.id(), List.of("x"), () -> {
            if (++calls[0] == 3) {
                throw new IllegalStateException("cancelled");
            }
        })).hasMessage("cancelled");
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** The datasets table in memory. */
    static final class MemoryDatasets extends DatasetRepository {
        final Map<String, Dataset> stored = new LinkedHashMap<>();
        final Map<String, byte[]> content = new LinkedHashMap<>();

        MemoryDatasets() {
            super(null);
        }

        @Override
        void insert(Dataset dataset, byte[] bytes) {
            stored.put(dataset.id(), dataset);
            content.put(dataset.id(), bytes);
        }

        @Override
        Optional<Dataset> find(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        Optional<Dataset> lock(String id) {
            return find(id);
        }

        @Override
        Optional<byte[]> content(String id) {
            return Optional.ofNullable(content.get(id));
        }

        @Override
        List<Dataset> list() {
            return new ArrayList<>(stored.values());
        }

        @Override
        boolean delete(String id) {
            content.remove(id);
            return stored.remove(id) != null;
        }
    }
}
