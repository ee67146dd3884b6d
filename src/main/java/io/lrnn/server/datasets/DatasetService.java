package io.lrnn.server.datasets;

import io.lrnn.server.common.CappedInputStream;
import io.lrnn.server.config.LrnnProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates data sets from CSV streams or JSON rows (every limit checked while the input is read),
 * lists, loads and deletes them. A delete and a job submission that needs the data set lock its
 * row, so the delete either sees the job or the submission sees the data set gone.
 */
@Service
public class DatasetService {

    /** Rows loaded between two checks of the job's stop reason. */
    static final int CHECK_EVERY = 1024;

    private final DatasetRepository datasets;
    private final DatasetUsers users;
    private final LrnnProperties.Datasets limits;
    private final Clock clock;
    private final TransactionOperations transactions;
    private final JsonMapper json;

    public DatasetService(DatasetRepository datasets, DatasetUsers users, LrnnProperties properties, Clock clock,
                          TransactionOperations transactions) {
        this.datasets = datasets;
        this.users = users;
        this.limits = properties.datasets();
        this.clock = clock;
        this.transactions = transactions;
        // Strings (cells, names) and numbers are bounded while the parser reads them; the shape
        // JsonRows accepts is 3 deep, the bound on nesting only limits skipped, ignored fields.
        this.json = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(limits.maxCellLength()).maxNameLength(1024).maxNumberLength(1000)
                .maxNestingDepth(32).build()).build()).build();
    }

    /** A data set from CSV with a header row, read as it streams in (never whole into a String). */
    public Dataset createFromCsv(String name, InputStream csv) {
        try (Reader reader = new InputStreamReader(capped(csv), StandardCharsets.UTF_8)) {
            Csv.RecordReader records = new Csv.RecordReader(skipByteOrderMark(reader), new Csv.Limits(
                    limits.maxCellLength(), limits.maxRecordLength(), limits.maxColumns()));
            DatasetIngest ingest = DatasetIngest.csv(records.next(), limits.maxColumns(), limits.maxRows());
            for (List<String> record = records.next(); record != null; record = records.next()) {
                ingest.add(record);
            }
            return insert(prepare(name, ingest.finish()));
        } catch (IOException e) {
            throw new InvalidDatasetException("data set: expected CSV but " + e.getMessage());
        }
    }

    /** A data set from a JSON body of columns and rows, streamed, read up to lrnn.datasets.max-size. */
    public Dataset createFromJson(String name, InputStream body) {
        return insert(prepare(name, rows(() -> json.createParser(capped(body)))));
    }

    /** Checks JSON rows completely and names the data set, storing nothing. */
    public Prepared prepare(String name, JsonNode body) {
        return prepare(name, rows(() -> json.treeAsTokens(body)));
    }

    /** Reads JSON rows; the parser is opened inside, as opening it reads (and may refuse) the encoding. */
    private DatasetIngest.Result rows(Supplier<JsonParser> open) {
        try (JsonParser parser = open.get()) {
            return new JsonRows(parser, limits.maxColumns(), limits.maxRows(), limits.maxCellLength(),
                    limits.maxRecordLength()).read();
        } catch (StreamConstraintsException e) {
            throw new InvalidDatasetException("request body", "JSON within the data set limits "
                    + "(lrnn.datasets.max-cell-length for strings)", e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new InvalidDatasetException("request body", "well-formed JSON", e.getOriginalMessage());
        }
    }

    /** A data set checked and given its id, not yet stored. */
    public record Prepared(Dataset dataset, byte[] content) {
    }

    /** Names and dates the data set (to the microsecond, as the store keeps it). */
    private Prepared prepare(String name, DatasetIngest.Result result) {
        String checkedName = name == null || name.isBlank() ? "dataset" : name.trim();
        if (checkedName.length() > 128) {
            throw new InvalidDatasetException("name", "at most 128 characters", checkedName.length());
        }
        return new Prepared(new Dataset("ds-" + UUID.randomUUID(), checkedName, result.rows(), result.columns(),
                result.digest(), clock.instant().truncatedTo(ChronoUnit.MICROS)), result.content());
    }

    public Dataset insert(Prepared prepared) {
        datasets.insert(prepared.dataset(), prepared.content());
        return prepared.dataset();
    }

    /** Removes a data set that nothing refers to yet (inline data whose job was not queued). */
    public void discard(String id) {
        datasets.delete(id);
    }

    public Dataset get(String id) {
        return datasets.find(id).orElseThrow(() -> new DatasetNotFoundException(id));
    }

    public List<Dataset> list() {
        return datasets.list();
    }

    /** Deletes a data set unless a queued or running job needs it (its row locked meanwhile). */
    public void delete(String id) {
        transactions.executeWithoutResult(status -> {
            datasets.lock(id).orElseThrow(() -> new DatasetNotFoundException(id));
            users.userOf(id).ifPresent(job -> {
                throw new DatasetInUseException(id, job);
            });
            datasets.delete(id);
        });
    }

    /**
     * The data set, its row locked until the caller's transaction ends: a job inserted in that
     * transaction is seen by any later {@link #delete}, which waits for the lock.
     */
    public Dataset lockForUse(String id) {
        return datasets.lock(id).orElseThrow(() -> new DatasetNotFoundException(id));
    }

    /**
     * The named columns of a data set (in the order asked), typed as recorded at upload; columns
     * not asked for are not held. Equal text cells share one String, and a text column may hold
     * at most {@link Dataset#MAX_DISTINCT} distinct values. {@code checkpoint} runs every
     * {@value #CHECK_EVERY} rows and may throw to stop the load (a cancelled job).
     *
     * @throws InvalidDatasetException naming a column the data set lacks or one with too many values
     */
    public Table load(String id, List<String> wanted, Runnable checkpoint) {
        Dataset dataset = get(id);
        int n = wanted.size();
        int[] source = new int[n];
        double[][] numbers = new double[n][];
        String[][] texts = new String[n][];
        List<String> names = dataset.columnNames();
        for (int c = 0; c < n; c++) {
            source[c] = names.indexOf(wanted.get(c));
            if (source[c] < 0) {
                throw new InvalidDatasetException("columns", "columns of data set " + id + " " + names,
                        "'" + wanted.get(c) + "'");
            }
            if (dataset.columns().get(source[c]).numeric()) {
                numbers[c] = new double[dataset.rows()];
            } else {
                texts[c] = new String[dataset.rows()];
            }
        }
        checkpoint.run();
        byte[] content = datasets.content(id).orElseThrow(() -> new DatasetNotFoundException(id));
        List<Map<String, String>> distinct = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            distinct.add(texts[c] == null ? null : new HashMap<>());
        }
        try (Reader reader = new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(content)),
                StandardCharsets.UTF_8)) {
            Csv.RecordReader records = new Csv.RecordReader(reader);
            records.next();
            for (int row = 0; row < dataset.rows(); row++) {
                if (row % CHECK_EVERY == 0) {
                    checkpoint.run();
                }
                List<String> cells = records.next();
                for (int c = 0; c < n; c++) {
                    String cell = cells.get(source[c]);
                    if (numbers[c] != null) {
                        numbers[c][row] = Csv.parse(cell);
                    } else {
                        texts[c][row] = shared(distinct.get(c), cell.trim(), wanted.get(c));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("data set " + id + " could not be read", e);
        }
        return new Table(List.copyOf(wanted), dataset.rows(), numbers, texts);
    }

    private static String shared(Map<String, String> distinct, String cell, String column) {
        String seen = distinct.get(cell);
        if (seen != null) {
            return seen;
        }
        if (distinct.size() == Dataset.MAX_DISTINCT) {
            throw new InvalidDatasetException("column '" + column + "'", "at most " + Dataset.MAX_DISTINCT
                    + " distinct text values", "more");
        }
        distinct.put(cell, cell);
        return cell;
    }

    private static Reader skipByteOrderMark(Reader reader) throws IOException {
        java.io.PushbackReader pushback = new java.io.PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private InputStream capped(InputStream in) {
        return new CappedInputStream(in, limits.maxSize().toBytes(), DatasetTooLargeException::new);
    }
}
