package io.lrnn.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.util.unit.DataSize;

/**
 * Coverage-guided fuzzing of data set ingestion (Jazzer): any bytes sent as CSV or as JSON rows
 * either make a data set that loads back with its row count, or are refused with the data set's
 * own exceptions ({@link InvalidDatasetException}, {@link DatasetTooLargeException}); anything
 * else (an IndexOutOfBounds, an OutOfMemoryError, a hang) is a finding. In a normal build this
 * runs the seed corpus under {@code src/test/resources/io/lrnn/server/datasets/CsvFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration} (docs/security.md).
 * The limits are small so the fuzzer reaches them.
 */
class CsvFuzzTest {

    static final LrnnProperties.Datasets LIMITS = new LrnnProperties.Datasets(DataSize.ofKilobytes(16), 50, 8, 40, 200);

    static DatasetService service() {
        LrnnProperties properties = TestProperties.of(LIMITS);
        return new DatasetService(new DatasetIngestTest.MemoryDatasets(), id -> Optional.empty(), properties,
                Clock.systemUTC(), TransactionOperations.withoutTransaction());
    }

    @FuzzTest(maxDuration = "10s")
    void csvLoadsOrIsRefused(byte[] input) {
        DatasetService service = service();
        Dataset dataset;
        try {
            dataset = service.createFromCsv("fuzz", new ByteArrayInputStream(input));
        } catch (InvalidDatasetException | DatasetTooLargeException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        loadsBack(service, dataset);
    }

    @FuzzTest(maxDuration = "10s")
    void jsonRowsLoadOrAreRefused(byte[] input) {
        DatasetService service = service();
        Dataset dataset;
        try {
            dataset = service.createFromJson("fuzz", new ByteArrayInputStream(input));
        } catch (InvalidDatasetException | DatasetTooLargeException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        loadsBack(service, dataset);
    }

    private static void loadsBack(DatasetService service, Dataset dataset) {
        assertThat(dataset.rows()).isBetween(1, LIMITS.maxRows());
        assertThat(dataset.columns().size()).isBetween(1, LIMITS.maxColumns());
        Table table = service.load(dataset.id(), dataset.columnNames(), () -> { });
        assertThat(table.rows()).isEqualTo(dataset.rows());
        for (int c = 0; c < dataset.columns().size(); c++) {
            if (table.isNumeric(c)) {
                for (double v : table.numbers()[c]) {
                    assertThat(Double.isFinite(v)).isTrue();
                }
            }
        }
    }
}
