package io.lrnn.server.datasets;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: a streaming record reader that enforces its limits while it reads, a writer that
 * quotes only when it must, and a linear-time number scanner.
 */
public final class Csv {

    private Csv() {
    }

    /**
     * What one record may hold, checked character by character so that a giant cell or row is
     * refused after at most the limit is read, never held whole.
     *
     * @param maxCellLength   characters in one cell (after unquoting)
     * @param maxRecordLength characters in one record, separators and quotes included
     * @param maxColumns      cells in one record
     */
    record Limits(int maxCellLength, int maxRecordLength, int maxColumns) {

        /** For content this server wrote itself (already checked at upload). */
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

        Limits {
            if (maxCellLength < 1 || maxRecordLength < 1 || maxColumns < 1) {
                throw new IllegalArgumentException("limits: expected positive values but found " + maxCellLength
                        + ", " + maxRecordLength + ", " + maxColumns);
            }
        }
    }

    /** Reads one record at a time; quoted fields may hold commas, quotes ("") and line breaks. */
    static final class RecordReader {
        private final Reader in;
        private final Limits limits;
        private final char[] buffer = new char[8192];
        private int position;
        private int filled;
        private long line = 1;
        private long record;

        RecordReader(Reader in) {
            this(in, Limits.NONE);
        }

        RecordReader(Reader in, Limits limits) {
            this.in = in;
            this.limits = limits;
        }

        /** Line number where the next record starts (1-based). */
        long line() {
            return line;
        }

        /**
         * The next record, or null at the end of the input.
         *
         * @throws InvalidDatasetException when the record passes a limit (naming row, column and limit)
         * @throws IOException             when a quoted cell is not closed, or reading fails
         */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            record++;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            long opened = line;
            long length = 0;
            while (true) {
                if (c != -1 && ++length > limits.maxRecordLength()) {
                    throw over("row " + record, limits.maxRecordLength() + " characters in a record",
                            "lrnn.datasets.max-record-length");
                }
                if (quoted) {
                    if (c == -1) {
                        throw new IOException("line " + opened + ": a quoted cell is not closed");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            length++;
                            append(cell, '"', cells.size());
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        append(cell, (char) c, cells.size());
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                    opened = line;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    if (cells.size() >= limits.maxColumns()) {
                        throw over("row " + record, limits.maxColumns() + " cells in a record",
                                "lrnn.datasets.max-columns");
                    }
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    cells.add(cell.toString());
                    line++;
                    return cells;
                } else {
                    append(cell, (char) c, cells.size());
                }
                c = read();
            }
        }

        private void append(StringBuilder cell, char c, int column) {
            if (cell.length() >= limits.maxCellLength()) {
                throw over("row " + record + ", column " + (column + 1), limits.maxCellLength()
                        + " characters in a cell", "lrnn.datasets.max-cell-length");
            }
            cell.append(c);
        }

        private static InvalidDatasetException over(String where, String limit, String property) {
            return new InvalidDatasetException(where, "at most " + limit + " (" + property + ")", "more");
        }

        private int read() throws IOException {
            if (position == filled) {
                filled = in.read(buffer, 0, buffer.length);
                position = 0;
                if (filled <= 0) {
                    filled = 0;
                    return -1;
                }
            }
            return buffer[position++];
        }

        private int peek() throws IOException {
            int c = read();
            if (c != -1) {
                position--;
            }
            return c;
        }
    }

    /** Writes one record, quoting cells that hold a comma, quote or line break. */
    static void write(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.write('"');
                out.write(cell.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(cell);
            }
        }
        out.write('\n');
    }

    /** A finite number as it parses back exactly. */
    public static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** The value of a numeric cell, or NaN if the cell is not a finite decimal number. */
    static double parse(String cell) {
        double v = number(cell);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    /**
     * The value of a decimal number ({@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, surrounding
     * white space ignored): NaN if the cell is not one, infinite if it is one beyond the double
     * range. A single scan, so time is linear in the cell's length whatever it holds.
     */
    static double number(String cell) {
        int end = cell.length();
        int i = 0;
        while (i < end && cell.charAt(i) <= ' ') {
            i++;
        }
        while (end > i && cell.charAt(end - 1) <= ' ') {
            end--;
        }
        int start = i;
        if (i < end && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        i = digits(cell, i, end);
        int mantissaDigits = i - digits;
        if (i < end && cell.charAt(i) == '.') {
            int fraction = ++i;
            i = digits(cell, i, end);
            mantissaDigits += i - fraction;
        }
        if (mantissaDigits == 0) {
            return Double.NaN;
        }
        if (i < end && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
            i++;
            if (i < end && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
                i++;
            }
            int exponent = i;
            i = digits(cell, i, end);
            if (i == exponent) {
                return Double.NaN;
            }
        }
        if (i != end) {
            return Double.NaN; // also keeps out what Java alone accepts: "0x1p3", "1d", "NaN"
        }
        // Java's parser is linear too: it keeps at most ~1100 significant digits.
        return Double.parseDouble(cell.substring(start, end));
    }

    private static int digits(String s, int i, int end) {
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
