package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Data set ingestion through {@link DatasetService}, stored in memory. */
class DatasetIngestTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final MemoryDatasets repository = new MemoryDatasets();
    DatasetService service = service(DataSize.ofMegabytes(1), 1000, 20);

    DatasetService service(DataSize maxSize, int maxRows, int maxColumns) {
        LrnnProperties properties = new LrnnProperties(new LrnnProperties.Models(Path.of("models"), Duration.ofSeconds(2)),
                new LrnnProperties.Predict(1000, DataSize.ofMegabytes(8)), new LrnnProperties.Security(null, false),
                new LrnnProperties.Jobs(1, 2, 100, 3, Duration.ofSeconds(30), Duration.ofSeconds(5),
                        Duration.ofSeconds(1), Duration.ofSeconds(30)),
                new LrnnProperties.Datasets(maxSize, maxRows, maxColumns));
        return new DatasetService(repository, null, properties,
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
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
        assertThat(d.columns()).containsExactly(new Dataset.Column("x", true, null),
                new Dataset.Column("note", false, "row 2: 'a, b'"));
        Table table = service.load(d.id());
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
        assertThat(service.load(messy.id()).numbers()).isDeepEqualTo(new double[][] {{1, 3}, {2, 4}});
    }

    @Test
    void theDigestIsOfTheNormalisedCsvWhicheverWayTheDataCame() throws Exception {
        String normalised = "x1,x2,label\n1,2.5,pos\n0,300,\"a, b\"\n-0.125,1.0E-7,7\n";
        Dataset fromCsv = csv("x1,x2,label\n1.0, 2.50 ,pos\n-0,3e2,\"a, b\"\n-.125,0.0000001,7\n");
        Dataset fromJson = service.createFromJson("j", json("""
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
        assertThat(d.column("code")).isEqualTo(new Dataset.Column("code", false, "row 4: 'abc'"));
        assertThat(d.column("x").numeric()).isTrue();
        assertThat(service.load(d.id()).texts()[0]).containsExactly("007", "1.50", "abc");
    }

    @Test
    void headerProblemsAreNamed() {
        assertThatThrownBy(() -> csv("")).hasMessage(
                "header: expected a first row naming the columns but found an empty data set");
        assertThatThrownBy(() -> csv("\n1,2\n")).hasMessage(
                "header: expected a first row naming the columns but found an empty data set");
        assertThatThrownBy(() -> csv("x,y,x\n1,2,3\n")).isInstanceOf(InvalidRequestException.class)
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
        assertThatThrownBy(() -> csv("x,y\n1,2\n3, \n")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("row 3, column 'y': expected a value but found an empty cell");
        assertThatThrownBy(() -> csv("x,y\n\"\",2\n")).hasMessage(
                "row 2, column 'x': expected a value but found an empty cell");
    }

    @Test
    void anUnclosedQuoteIsABadRequestNamingTheLine() {
        assertThatThrownBy(() -> csv("x,y\n1,\"2\n")).isInstanceOf(InvalidRequestException.class)
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
                .hasMessage("columns: expected at most 3 (lrnn.datasets.max-columns) but found 4");
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void jsonCellsMustBeFiniteNumbersOrStrings() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("[[1, true]]", "rows[0][1]: expected a finite number or a string but found true");
        bad.put("[[1, 2], [null, 2]]", "rows[1][0]: expected a finite number or a string but found null");
        bad.put("[[1, [2]]]", "rows[0][1]: expected a finite number or a string but found [2]");
        bad.put("[[1, {\"v\": 2}]]", "rows[0][1]: expected a finite number or a string but found {\"v\":2}");
        bad.put("[[1, 1e999]]", "rows[0][1]: expected a finite number or a string but found a number beyond the double range");
        bad.put("[[1, 2], 5]", "rows[1]: expected an array of cells but found 5");
        bad.put("[[1, 2], [3]]", "rows[1]: expected 2 cells but found 1 cells");
        bad.put("[[1, 2], [\"\"]]", "rows[1]: expected 2 cells but found 1 cells");
        bad.put("[[1, 2], [3, \" \"]]", "rows[1], column 'b': expected a value but found an empty cell");
        bad.put("[]", "rows: expected at least one data row but found none");
        bad.forEach((rows, message) -> assertThatThrownBy(
                () -> service.createFromJson("j", json("{\"columns\": [\"a\", \"b\"], \"rows\": " + rows + "}")))
                .as(rows).isInstanceOf(InvalidRequestException.class).hasMessage(message));
        assertThatThrownBy(() -> service.createFromJson("j", json("{\"columns\": [\"a\", 2], \"rows\": [[1, 2]]}")))
                .hasMessage("columns[1]: expected a column name (a string) but found 2");
        assertThatThrownBy(() -> service.createFromJson("j", json("{\"columns\": [\"a\"]}"))).hasMessage(
                "data: expected {\"columns\": [names], \"rows\": [[cells], ...]} but found fields [columns]");
        assertThatThrownBy(() -> service.createFromJson("j", stream("{\"columns\": [")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("request body: expected well-formed JSON but found ");
        assertThat(service.createFromJson("j", json("{\"columns\": [\"a\", \"b\"], \"rows\": [[1, \"x\"]]}"))
                .column("b")).isEqualTo(new Dataset.Column("b", false, "rows[0]: 'x'"));
        assertThat(repository.stored).hasSize(1);
    }

    @Test
    void namesDefaultAndAreLimited() {
        assertThat(service.createFromCsv(null, stream("x,y\n1,2\n")).name()).isEqualTo("dataset");
        assertThat(service.createFromCsv("  sales  ", stream("x,y\n1,2\n")).name()).isEqualTo("sales");
        assertThatThrownBy(() -> service.createFromCsv("n".repeat(129), stream("x,y\n1,2\n")))
                .hasMessage("name: expected at most 128 characters but found 129");
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
