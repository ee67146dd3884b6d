package io.lrnn.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    static List<List<String>> read(String csv) throws IOException {
        Csv.RecordReader reader = new Csv.RecordReader(new StringReader(csv));
        List<List<String>> records = new ArrayList<>();
        for (List<String> r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void quotedCellsKeepCommasQuotesAndLineBreaks() throws IOException {
        assertThat(read("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\n1,2,3,4,5\n")).containsExactly(
                List.of("a", "b,c", "say \"hi\"", "two\nlines", ""), List.of("1", "2", "3", "4", "5"));
    }

    @Test
    void crlfAndLoneCrEndRecordsButStayInsideQuotes() throws IOException {
        assertThat(read("x,y\r\n1,\"a\r\nb\"\r\n2,c\r3,d")).containsExactly(
                List.of("x", "y"), List.of("1", "a\r\nb"), List.of("2", "c"), List.of("3", "d"));
    }

    @Test
    void emptyCellsAndBlankLinesAreRecordsOfEmptyCells() throws IOException {
        assertThat(read("a,,\n\n,b\n")).containsExactly(List.of("a", "", ""), List.of(""), List.of("", "b"));
        assertThat(read("")).isEmpty();
    }

    @Test
    void anUnclosedQuoteNamesTheLine() {
        assertThatThrownBy(() -> read("x,y\n1,2\n3,\"open\nstill open"))
                .isInstanceOf(IOException.class).hasMessage("line 3: a quoted cell is not closed");
    }

    @Test
    void writeQuotesOnlyWhenItMustAndReadsBack() throws IOException {
        List<String> cells = List.of("plain", "a,b", "q\"q", "l\nm", "cr\r", " spaced ");
        StringWriter out = new StringWriter();
        Csv.write(out, cells);
        assertThat(out.toString()).isEqualTo("plain,\"a,b\",\"q\"\"q\",\"l\nm\",\"cr\r\", spaced \n");
        assertThat(read(out.toString())).containsExactly(cells);
    }

    @Test
    void parseAcceptsDecimalNumbersOnly() {
        assertThat(Csv.parse("42")).isEqualTo(42.0);
        assertThat(Csv.parse(" -2.5e3 ")).isEqualTo(-2500.0);
        assertThat(Csv.parse("+.5")).isEqualTo(0.5);
        assertThat(Csv.parse("1.")).isEqualTo(1.0);
        assertThat(Csv.parse("1E-3")).isEqualTo(0.001);
        for (String text : new String[] {"", " ", "abc", "1,5", "0x1p3", "1d", "2f", "NaN", "Infinity", "-Infinity",
                "1e400", ".", "-", "e5", "1e", "1.2.3", "١٢"}) {
            assertThat(Csv.parse(text)).as(text).isNaN();
        }
    }

    @Test
    void formatIsCanonicalAndParsesBackExactly() {
        assertThat(Csv.format(3.0)).isEqualTo("3");
        assertThat(Csv.format(-0.0)).isEqualTo("0");
        assertThat(Csv.format(0.1)).isEqualTo("0.1");
        assertThat(Csv.format(-2.5e-7)).isEqualTo("-2.5E-7");
        for (double v : new double[] {0.1, 1.0 / 3, -2.5e-7, 1e15, 123456789012345.0, 1e300, Double.MIN_VALUE}) {
            assertThat(Csv.parse(Csv.format(v))).as("%s", v).isEqualTo(v);
        }
    }

    /** A reader of {@code prefix} followed by {@code fill} forever, counting what was read. */
    static final class Endless extends Reader {
        final String prefix;
        final char fill;
        long read;

        Endless(String prefix, char fill) {
            this.prefix = prefix;
            this.fill = fill;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            for (int i = 0; i < length; i++, read++) {
                buffer[offset + i] = read < prefix.length() ? prefix.charAt((int) read) : fill;
            }
            return length;
        }

        @Override
        public void close() {
        }
    }

    static final Csv.Limits LIMITS = new Csv.Limits(100, 1000, 5);

    @Test
    void aGiantCellIsRefusedAfterItsLimitIsRead() {
        for (String prefix : new String[] {"a,b\n1,", "a,b\n1,\""}) {
            Endless in = new Endless(prefix, 'x');
            Csv.RecordReader reader = new Csv.RecordReader(in, LIMITS);
            assertThatThrownBy(() -> {
                reader.next();
                reader.next();
            }).as(prefix).isInstanceOf(InvalidDatasetException.class).hasMessage(
                    "row 2, column 2: expected at most 100 characters in a cell (lrnn.datasets.max-cell-length) "
                            + "but found more");
            assertThat(in.read).as("characters read").isLessThan(2 * 8192);
        }
    }

    @Test
    void aGiantRecordOrHeaderIsRefusedAfterItsLimitIsRead() {
        Endless cells = new Endless("a\n", ';'); // one cell of 1000 characters is under no cell limit here
        assertThatThrownBy(() -> {
            Csv.RecordReader reader = new Csv.RecordReader(cells, new Csv.Limits(100_000, 1000, 5));
            reader.next();
            reader.next();
        }).hasMessage("row 2: expected at most 1000 characters in a record (lrnn.datasets.max-record-length) "
                + "but found more");
        assertThat(cells.read).isLessThan(2 * 8192);
        Endless header = new Endless("", ',');
        assertThatThrownBy(() -> new Csv.RecordReader(header, LIMITS).next())
                .hasMessage("row 1: expected at most 5 cells in a record (lrnn.datasets.max-columns) but found more");
        assertThat(header.read).isLessThanOrEqualTo(8192);
    }

    @Test
    void recordsAtTheLimitsAreRead() throws IOException {
        String cell = "c".repeat(100);
        String record = String.join(",", cell, cell, cell, cell, "q".repeat(95)); // 499 + 96 = 595 with the line end
        Csv.RecordReader reader = new Csv.RecordReader(new StringReader(record + "\n\"" + cell + "\"\n"), LIMITS);
        assertThat(reader.next()).hasSize(5).contains(cell);
        assertThat(reader.next()).containsExactly(cell);
        assertThat(reader.next()).isNull();
    }

    @Test
    void numbersBeyondTheDoubleRangeAreInfiniteNotText() {
        String digits = "9".repeat(400);
        assertThat(Csv.number(digits)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Csv.number("-" + digits)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Csv.number("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Csv.number("1e-400")).isEqualTo(0.0);
        assertThat(Csv.number(digits + "x")).isNaN();
        assertThat(Csv.parse(digits)).as("parse: finite numbers only").isNaN();
    }

    /** The case (20,000 digits then x took 4 s with the old pattern), at 1 MB: linear, so fast. */
    @Test
    void aMegabyteCellIsRecognisedInWellUnderASecond() {
        String digits = "7".repeat(1 << 20);
        String[] cells = {digits + "x", digits, "0." + digits, digits + "e" + digits, "1e" + digits,
                "-" + digits.substring(1) + ".5e-3", ".".repeat(1 << 20), "1".repeat(1 << 19) + "e+".repeat(1 << 18)};
        long started = System.nanoTime();
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            values[i] = Csv.number(cells[i]);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(values[0]).isNaN();
        assertThat(values[1]).isInfinite();
        assertThat(values[2]).isBetween(0.7, 0.8);
        assertThat(values[3]).isInfinite();
        assertThat(values[4]).isInfinite();
        assertThat(values[5]).isInfinite();
        assertThat(values[6]).isNaN();
        assertThat(values[7]).isNaN();
        assertThat(millis).as("milliseconds for %d cells of about 1 MB", cells.length).isLessThan(30_000);
    }
}
