package io.lrnn.server.datasets;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** RFC 4180 CSV: a streaming record reader and a writer that quotes only when it must. */
public final class Csv {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Csv() {
    }

    /** Reads one record at a time; quoted fields may hold commas, quotes ("") and line breaks. */
    static final class RecordReader {
        private final Reader in;
        private int peeked = -2;
        private long line = 1;

        RecordReader(Reader in) {
            this.in = in;
        }

        /** Line number where the next record starts (1-based). */
        long line() {
            return line;
        }

        /** The next record, or null at the end of the input. */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            List<String> record = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            long opened = line;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new IOException("line " + opened + ": a quoted cell is not closed");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            cell.append('"');
                        } else {
                            quoted = false;
                        }
                    } else {
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                    opened = line;
                } else if (c == ',') {
                    record.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n' || c == -1) {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    record.add(cell.toString());
                    line++;
                    return record;
                } else {
                    cell.append((char) c);
                }
                c = read();
                if (c == '\n' && quoted) {
                    line++;
                }
            }
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return in.read();
        }

        private int peek() throws IOException {
            if (peeked == -2) {
                peeked = in.read();
            }
            return peeked;
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
        String s = cell.trim();
        if (!DECIMAL.matcher(s).matches()) {
            return Double.NaN; // also keeps out what Java alone accepts: "0x1p3", "1d", "NaN"
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : Double.NaN;
    }
}
