package io.lrnn.server.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Checks a data set record by record as it streams in (header, cell counts, empty cells, limits),
 * learns which columns are numeric, and writes the normalised CSV, gzipped; the digest is the
 * SHA-256 of the normalised CSV text.
 * Row numbers in messages count the header as row 1, as a spreadsheet does.
 */
final class DatasetIngest {

    private final int maxRows;
    private final List<String> columns;
    private final boolean[] numeric;
    private final String[] firstText;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final MessageDigest sha256;
    private final Writer out;
    private int rows;

    DatasetIngest(List<String> header, int maxColumns, int maxRows) {
        if (header == null || header.isEmpty() || header.size() == 1 && header.get(0).isBlank()) {
            throw new InvalidRequestException("header", "a first row naming the columns", "an empty data set");
        }
        if (header.size() > maxColumns) {
            throw new InvalidRequestException("columns", "at most " + maxColumns + " (lrnn.datasets.max-columns)",
                    header.size());
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).trim();
            if (name.isEmpty()) {
                throw new InvalidRequestException("header, column " + (c + 1), "a column name", "an empty cell");
            }
            names.add(name);
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new InvalidRequestException("header", "distinct column names", names);
        }
        this.columns = List.copyOf(names);
        this.maxRows = maxRows;
        this.numeric = new boolean[names.size()];
        java.util.Arrays.fill(numeric, true);
        this.firstText = new String[names.size()];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.out = new OutputStreamWriter(new DigestOutputStream(new GZIPOutputStream(bytes), sha256),
                    StandardCharsets.UTF_8);
            Csv.write(out, columns);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds one record; fails naming the row and column of the first problem. */
    void add(List<String> cells) {
        int row = rows + 2;
        if (cells.size() == 1 && cells.get(0).isEmpty()) {
            return; // a blank line
        }
        if (cells.size() != columns.size()) {
            throw new InvalidRequestException("row " + row, columns.size() + " cells", cells.size() + " cells");
        }
        if (++rows > maxRows) {
            throw new InvalidRequestException("rows", "at most " + maxRows + " (lrnn.datasets.max-rows)", "more");
        }
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c).trim();
            if (cell.isEmpty()) {
                throw new InvalidRequestException("row " + row + ", column '" + columns.get(c) + "'", "a value",
                        "an empty cell");
            }
            if (numeric[c] && Double.isNaN(Csv.parse(cell))) {
                numeric[c] = false;
                firstText[c] = "row " + row + ": '" + cell + "'";
            }
        }
        try {
            Csv.write(out, cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was ingested. */
    record Result(List<Dataset.Column> columns, int rows, String digest, byte[] content) {
    }

    Result finish() {
        if (rows == 0) {
            throw new InvalidRequestException("rows", "at least one data row", "none");
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Dataset.Column> described = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            described.add(new Dataset.Column(columns.get(c), numeric[c], firstText[c]));
        }
        return new Result(described, rows, "sha256:" + HexFormat.of().formatHex(sha256.digest()), bytes.toByteArray());
    }
}
