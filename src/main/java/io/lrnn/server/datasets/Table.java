package io.lrnn.server.datasets;

import java.util.List;

/**
 * A data set in memory: named columns, each numeric ({@code numbers[c]}) or text
 * ({@code texts[c]}, usable only as a classification target). Cells are never missing.
 */
public record Table(List<String> columns, int rows, double[][] numbers, String[][] texts) {

    public int index(String column) {
        return columns.indexOf(column);
    }

    public boolean isNumeric(int column) {
        return numbers[column] != null;
    }

    /** Cell as text, whatever the column's kind. */
    public String text(int column, int row) {
        return isNumeric(column) ? Csv.format(numbers[column][row]) : texts[column][row];
    }
}
