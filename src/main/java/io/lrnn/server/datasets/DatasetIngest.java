package io.lrnn.server.datasets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Checks a data set record by record as it streams in (header, cell counts, empty cells, limits)
 * and learns which columns are numeric; then writes the normalised CSV, gzipped: trimmed cells,
 * numbers in one canonical form, LF line ends, quotes only where needed. The digest is the SHA-256
 * of the normalised CSV text, so the same table gives the same digest however it was uploaded.
 * CSV row numbers in messages count the header as row 1, as a spreadsheet does (blank lines count).
 */
final class DatasetIngest {

    /** Longest column name (names are stored with the description and repeated in messages). */
    static final int MAX_NAME_LENGTH = 256;

    private final int maxRows;
    private final boolean blankLines;
    private final IntFunction<String> rowName;
    private final List<String> columns;
    private final boolean[] numeric;
    private final String[] firstText;
    private final DistinctCounter[] distinct;
    private final ByteArrayOutputStream staged = new ByteArrayOutputStream();
    private final Writer stage;
    private int records = 1;
    private int rows;

    /** CSV: blank lines are skipped and rows named as in a spreadsheet ("row 2" is the first data row). */
    static DatasetIngest csv(List<String> header, int maxColumns, int maxRows) {
        return new DatasetIngest(header, maxColumns, maxRows, true, row -> "row " + row);
    }

    /** JSON rows: every row counts and is named by its index ("rows[0]" is the first). */
    static DatasetIngest jsonRows(List<String> header, int maxColumns, int maxRows) {
        return new DatasetIngest(header, maxColumns, maxRows, false, row -> "rows[" + (row - 2) + "]");
    }

    private DatasetIngest(List<String> header, int maxColumns, int maxRows, boolean blankLines,
                          IntFunction<String> rowName) {
        if (header == null || header.isEmpty() || header.size() == 1 && header.get(0).isBlank()) {
            throw new InvalidDatasetException("header", "a first row naming the columns", "an empty data set");
        }
        if (header.size() > maxColumns) {
            throw new InvalidDatasetException("columns", "at most " + maxColumns + " (lrnn.datasets.max-columns)",
                    header.size());
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).trim();
            if (name.isEmpty()) {
                throw new InvalidDatasetException("header, column " + (c + 1), "a column name", "an empty cell");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw new InvalidDatasetException("header, column " + (c + 1), "a column name of at most "
                        + MAX_NAME_LENGTH + " characters", name.length() + " characters");
            }
            if (!seen.add(name)) {
                throw new InvalidDatasetException("header, column " + (c + 1), "distinct column names",
                        "'" + name + "' a second time");
            }
            names.add(name);
        }
        this.columns = List.copyOf(names);
        this.maxRows = maxRows;
        this.blankLines = blankLines;
        this.rowName = rowName;
        this.numeric = new boolean[names.size()];
        Arrays.fill(numeric, true);
        this.firstText = new String[names.size()];
        this.distinct = new DistinctCounter[names.size()];
        for (int c = 0; c < distinct.length; c++) {
            distinct[c] = new DistinctCounter(Dataset.MAX_DISTINCT);
        }
        // Raw rows wait here, cheaply deflated, until the column kinds are known.
        this.stage = new OutputStreamWriter(new DeflaterOutputStream(staged, new Deflater(Deflater.BEST_SPEED)),
                StandardCharsets.UTF_8);
    }

    /** Columns in the header. */
    int width() {
        return columns.size();
    }

    /** Adds one record; fails naming the row and column of the first problem. */
    void add(List<String> cells) {
        int row = ++records;
        if (cells.size() == 1 && cells.get(0).isBlank() && blankLines) {
            return;
        }
        if (cells.size() != columns.size()) {
            throw new InvalidDatasetException(rowName.apply(row), columns.size() + " cells", cells.size() + " cells");
        }
        if (++rows > maxRows) {
            throw new InvalidDatasetException("rows", "at most " + maxRows + " (lrnn.datasets.max-rows)",
                    "more (" + rowName.apply(row) + ")");
        }
        List<String> trimmed = new ArrayList<>(cells.size());
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c).trim();
            if (cell.isEmpty()) {
                throw new InvalidDatasetException(rowName.apply(row) + ", column '" + columns.get(c) + "'", "a value",
                        "an empty cell");
            }
            if (numeric[c]) {
                double value = Csv.number(cell);
                if (Double.isInfinite(value)) {
                    throw new InvalidDatasetException(rowName.apply(row) + ", column '" + columns.get(c) + "'",
                            "a number within the double range (magnitude below 1.8e308)",
                            "a number of " + cell.length() + " characters beyond it");
                }
                if (Double.isNaN(value)) {
                    numeric[c] = false;
                    firstText[c] = rowName.apply(row) + ": '" + abbreviate(cell) + "'";
                }
            }
            distinct[c].add(cell);
            trimmed.add(cell);
        }
        try {
            Csv.write(stage, trimmed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cell as quoted in a message or a column description: at most 64 characters of it. */
    static String abbreviate(String cell) {
        return cell.length() <= 64 ? cell : cell.substring(0, 61) + "...";
    }

    /** What was ingested. */
    record Result(List<Dataset.Column> columns, int rows, String digest, byte[] content) {
    }

    Result finish() {
        if (rows == 0) {
            throw new InvalidDatasetException("rows", "at least one data row", "none");
        }
        List<Dataset.Column> described = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            described.add(new Dataset.Column(columns.get(c), numeric[c], firstText[c], distinct[c].count()));
        }
        try {
            stage.close();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            try (Reader in = new InputStreamReader(new InflaterInputStream(new ByteArrayInputStream(
                    staged.toByteArray())), StandardCharsets.UTF_8);
                 Writer out = new OutputStreamWriter(new DigestOutputStream(new GZIPOutputStream(content), sha256),
                         StandardCharsets.UTF_8)) {
                Csv.write(out, columns);
                Csv.RecordReader staged = new Csv.RecordReader(in);
                for (List<String> cells = staged.next(); cells != null; cells = staged.next()) {
                    for (int c = 0; c < cells.size(); c++) {
                        if (numeric[c]) {
                            cells.set(c, Csv.format(Csv.parse(cells.get(c))));
                        }
                    }
                    Csv.write(out, cells);
                }
            }
            return new Result(described, rows, "sha256:" + HexFormat.of().formatHex(sha256.digest()),
                    content.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
