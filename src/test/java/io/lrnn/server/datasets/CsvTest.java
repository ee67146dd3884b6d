package io.lrnn.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
}
