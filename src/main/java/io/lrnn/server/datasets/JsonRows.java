package io.lrnn.server.datasets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;


/**
 * Reads {@code {"columns": [names], "rows": [[cells], ...]}} token by token into a
 * {@link DatasetIngest}, so a row, cell or column count over its limit is refused as soon as it
 * is read, and no tree of the body is built. {@code columns} must come before {@code rows}. The
 * shape is fixed (an object of arrays of arrays of scalars), so nesting is refused at depth 3;
 * string and number lengths are bounded by the parser's read constraints.
 */
final class JsonRows {

    private static final String SHAPE = "{\"columns\": [names], \"rows\": [[cells], ...]}";

    private final JsonParser in;
    private final int maxColumns;
    private final int maxRows;
    private final int maxCellLength;
    private final int maxRecordLength;

    JsonRows(JsonParser in, int maxColumns, int maxRows, int maxCellLength, int maxRecordLength) {
        this.in = in;
        this.maxColumns = maxColumns;
        this.maxRows = maxRows;
        this.maxCellLength = maxCellLength;
        this.maxRecordLength = maxRecordLength;
    }

    DatasetIngest.Result read() {
        if (in.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidDatasetException("data", SHAPE, "no object");
        }
        Set<String> fields = new LinkedHashSet<>();
        DatasetIngest ingest = null;
        boolean rows = false;
        for (JsonToken t = in.nextToken(); t != JsonToken.END_OBJECT; t = in.nextToken()) {
            String field = in.currentName();
            fields.add(field);
            JsonToken value = in.nextToken();
            if (field.equals("columns") && value == JsonToken.START_ARRAY && ingest == null) {
                ingest = DatasetIngest.jsonRows(columns(), maxColumns, maxRows);
            } else if (field.equals("rows") && value == JsonToken.START_ARRAY && !rows) {
                if (ingest == null) {
                    throw new InvalidDatasetException("data", "\"columns\" before \"rows\"", "\"rows\" first");
                }
                rows(ingest);
                rows = true;
            } else if (field.equals("columns") || field.equals("rows")) {
                throw new InvalidDatasetException("data", SHAPE, "\"" + field + "\": " + describe(value));
            } else {
                in.skipChildren(); // other fields are ignored (skipping holds nothing)
            }
        }
        if (ingest == null || !rows) {
            throw new InvalidDatasetException("data", SHAPE, "fields " + fields);
        }
        if (in.nextToken() != null) {
            throw new InvalidDatasetException("request body", "one JSON object", "more after it");
        }
        return ingest.finish();
    }

    private List<String> columns() {
        List<String> header = new ArrayList<>();
        for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
            int c = header.size();
            if (c >= maxColumns) {
                throw new InvalidDatasetException("columns", "at most " + maxColumns + " (lrnn.datasets.max-columns)",
                        "more");
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new InvalidDatasetException("columns[" + c + "]", "a column name (a string)", describe(t));
            }
            header.add(in.getString());
        }
        return header;
    }

    private void rows(DatasetIngest ingest) {
        int width = ingest.width();
        int r = 0;
        for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken(), r++) {
            if (t != JsonToken.START_ARRAY) {
                throw new InvalidDatasetException("rows[" + r + "]", "an array of cells", describe(t));
            }
            List<String> cells = new ArrayList<>(width);
            long length = 0;
            for (JsonToken cell = in.nextToken(); cell != JsonToken.END_ARRAY; cell = in.nextToken()) {
                int c = cells.size();
                if (c == width) {
                    throw new InvalidDatasetException("rows[" + r + "]", width + " cells", "more");
                }
                String text = cell(cell, r, c);
                length += text.length() + 1;
                if (length > maxRecordLength) {
                    throw new InvalidDatasetException("rows[" + r + "]", "at most " + maxRecordLength
                            + " characters of cells (lrnn.datasets.max-record-length)", "more");
                }
                cells.add(text);
            }
            ingest.add(cells);
        }
    }

    private String cell(JsonToken t, int r, int c) {
        if (t == JsonToken.VALUE_STRING) {
            // A streamed string over the limit is refused by the parser as it reads; a tree's
            // (inline data, already parsed under the request body limit) here.
            String text = in.getString();
            if (text.length() > maxCellLength) {
                throw new InvalidDatasetException("rows[" + r + "][" + c + "]", "at most " + maxCellLength
                        + " characters in a cell (lrnn.datasets.max-cell-length)", text.length() + " characters");
            }
            return text;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double value;
            try {
                value = in.getDoubleValue();
            } catch (JacksonException beyond) { // a tree's big integer refuses to round to infinity
                value = Double.POSITIVE_INFINITY;
            }
            if (!Double.isFinite(value)) {
                throw new InvalidDatasetException("rows[" + r + "][" + c + "]", "a finite number or a string",
                        "a number beyond the double range");
            }
            return Csv.format(value);
        }
        throw new InvalidDatasetException("rows[" + r + "][" + c + "]", "a finite number or a string", describe(t));
    }

    /** A token as a message names it, without reading what it opens. */
    private String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "'" + DatasetIngest.abbreviate(in.getString()) + "'";
            default -> in.getString();
        };
    }
}
