package io.lrnn.server.datasets;

import java.time.Instant;
import java.util.List;

/** A stored data set's description (its content is kept apart). */
public record Dataset(String id, String name, int rows, List<Column> columns, String digest, Instant createdAt) {

    /** Distinct values counted per column; a column with more has {@code distinct} null. */
    public static final int MAX_DISTINCT = 1024;

    /**
     * A column: numeric, or text (then {@code firstText} quotes its first non-numeric cell and its
     * row: a CSV row counting the header as row 1, or a JSON row index). {@code distinct} is the
     * number of distinct cells as written (an upper bound on its classes), null when over
     * {@link #MAX_DISTINCT} or for data sets stored before it was counted.
     */
    public record Column(String name, boolean numeric, String firstText, Integer distinct) {
    }

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
