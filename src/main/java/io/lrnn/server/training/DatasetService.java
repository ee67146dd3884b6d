package io.lrnn.server.training;

import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.jobs.JobQueue;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Creates data sets from CSV streams or JSON rows, lists, loads and deletes them. */
@Service
public class DatasetService {

    private final DatasetRepository datasets;
    private final JobQueue jobs;
    private final LrnnProperties.Datasets limits;
    private final Clock clock;

    public DatasetService(DatasetRepository datasets, JobQueue jobs, LrnnProperties properties, Clock clock) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.limits = properties.datasets();
        this.clock = clock;
    }

    /** A data set from CSV with a header row, read as it streams in (never whole into a String). */
    public Dataset createFromCsv(String name, InputStream csv) {
        try (Reader reader = new InputStreamReader(new Capped(csv, limits.maxSize().toBytes()), StandardCharsets.UTF_8)) {
            Csv.RecordReader records = new Csv.RecordReader(skipByteOrderMark(reader));
            DatasetIngest ingest = DatasetIngest.csv(records.next(), limits.maxColumns(), limits.maxRows());
            for (List<String> record = records.next(); record != null; record = records.next()) {
                ingest.add(record);
            }
            return insert(prepare(name, ingest.finish()));
        } catch (IOException e) {
            throw new InvalidRequestException("data set: expected CSV but " + e.getMessage());
        }
    }

    /** A data set from a JSON body ({@link #createFromJson}), read up to lrnn.datasets.max-size. */
    public Dataset createFromJson(String name, InputStream json) {
        JsonNode body;
        try {
            body = TrainingJobHandler.JSON.readTree(new Capped(json, limits.maxSize().toBytes()));
        } catch (JacksonException e) {
            throw new InvalidRequestException("request body", "well-formed JSON", e.getOriginalMessage());
        }
        return createFromJson(name, body);
    }

    /** A data set from {@code {"columns": [...], "rows": [[...], ...]}}; cells are numbers or strings. */
    public Dataset createFromJson(String name, JsonNode body) {
        return insert(prepare(name, ingest(body)));
    }

    /** Checks JSON rows completely, storing nothing. */
    DatasetIngest.Result ingest(JsonNode body) {
        JsonNode columns = body == null ? null : body.get("columns");
        JsonNode rows = body == null ? null : body.get("rows");
        if (columns == null || !columns.isArray() || rows == null || !rows.isArray()) {
            throw new InvalidRequestException("data", "{\"columns\": [names], \"rows\": [[cells], ...]}",
                    body == null || !body.isObject() ? "no object" : "fields " + body.propertyNames());
        }
        List<String> header = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            if (!columns.get(c).isString()) {
                throw new InvalidRequestException("columns[" + c + "]", "a column name (a string)", columns.get(c));
            }
            header.add(columns.get(c).asString());
        }
        DatasetIngest ingest = DatasetIngest.jsonRows(header, limits.maxColumns(), limits.maxRows());
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray()) {
                throw new InvalidRequestException("rows[" + r + "]", "an array of cells", row);
            }
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                JsonNode cell = row.get(c);
                boolean number = cell.isNumber() && Double.isFinite(cell.asDouble());
                if (!number && !cell.isString()) {
                    throw new InvalidRequestException("rows[" + r + "][" + c + "]", "a finite number or a string",
                            cell.isNumber() ? "a number beyond the double range" : cell);
                }
                cells.add(number ? Csv.format(cell.asDouble()) : cell.asString());
            }
            ingest.add(cells);
        }
        return ingest.finish();
    }

    /** A data set checked and given its id, not yet stored. */
    record Prepared(Dataset dataset, byte[] content) {
    }

    /** Names and dates the data set (to the microsecond, as the store keeps it). */
    Prepared prepare(String name, DatasetIngest.Result result) {
        String checkedName = name == null || name.isBlank() ? "dataset" : name.trim();
        if (checkedName.length() > 128) {
            throw new InvalidRequestException("name", "at most 128 characters", checkedName.length());
        }
        return new Prepared(new Dataset("ds-" + UUID.randomUUID(), checkedName, result.rows(), result.columns(),
                result.digest(), clock.instant().truncatedTo(ChronoUnit.MICROS)), result.content());
    }

    Dataset insert(Prepared prepared) {
        datasets.insert(prepared.dataset(), prepared.content());
        return prepared.dataset();
    }

    /** Removes a data set that nothing refers to yet (inline data whose job was not queued). */
    void discard(String id) {
        datasets.delete(id);
    }

    public Dataset get(String id) {
        return datasets.find(id).orElseThrow(() -> new DatasetNotFoundException(id));
    }

    public List<Dataset> list() {
        return datasets.list();
    }

    /** Deletes a data set unless a queued or running job needs it. */
    public void delete(String id) {
        get(id);
        jobs.activeJobUsing(id).ifPresent(job -> {
            throw new DatasetInUseException(id, job);
        });
        datasets.delete(id);
    }

    /** The data set's cells, typed as recorded at upload. */
    Table load(String id) {
        Dataset dataset = get(id);
        byte[] content = datasets.content(id).orElseThrow(() -> new DatasetNotFoundException(id));
        int n = dataset.columns().size();
        double[][] numbers = new double[n][];
        String[][] texts = new String[n][];
        for (int c = 0; c < n; c++) {
            if (dataset.columns().get(c).numeric()) {
                numbers[c] = new double[dataset.rows()];
            } else {
                texts[c] = new String[dataset.rows()];
            }
        }
        try (Reader reader = new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(content)),
                StandardCharsets.UTF_8)) {
            Csv.RecordReader records = new Csv.RecordReader(reader);
            records.next();
            for (int row = 0; row < dataset.rows(); row++) {
                List<String> cells = records.next();
                for (int c = 0; c < n; c++) {
                    if (numbers[c] != null) {
                        numbers[c][row] = Csv.parse(cells.get(c));
                    } else {
                        texts[c][row] = cells.get(c).trim();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("data set " + id + " could not be read", e);
        }
        return new Table(dataset.columnNames(), dataset.rows(), numbers, texts);
    }

    private static Reader skipByteOrderMark(Reader reader) throws IOException {
        java.io.PushbackReader pushback = new java.io.PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** Fails once more than {@code limit} bytes have been read. */
    private static final class Capped extends FilterInputStream {
        private final long limit;
        private long count;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b == -1 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw new DatasetTooLargeException(limit);
            }
        }
    }
}
