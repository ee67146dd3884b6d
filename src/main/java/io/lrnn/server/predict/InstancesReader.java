package io.lrnn.server.predict;

import io.lrnn.engine.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the native API's body, {@code {"instances": [...]}}, token by token: each row an array of
 * numbers in input order, or an object keyed by feature name. Every check is made as the row
 * streams in (count against {@code lrnn.predict.max-batch}, width, numbers, finiteness), so a
 * body of a million rows is refused at row {@code max-batch + 1} with only that many held. Errors
 * name the row and feature. Other members of the body are skipped without being kept.
 */
final class InstancesReader {

    private final JsonParser parser;
    private final List<String> inputs;
    private final Map<String, Integer> index = new HashMap<>();
    private final int maxBatch;

    private InstancesReader(JsonParser parser, List<String> inputs, int maxBatch) {
        this.parser = parser;
        this.inputs = inputs;
        this.maxBatch = maxBatch;
        for (int i = 0; i < inputs.size(); i++) {
            index.put(inputs.get(i), i);
        }
    }

    /** The checked rows of the body for a model with {@code inputs}: 1 to {@code maxBatch} of them, all finite. */
    static NativeRequest read(JsonParser parser, Model model, int maxBatch) {
        try {
            return new NativeRequest(new InstancesReader(parser, model.inputs(), maxBatch).body());
        } catch (JacksonException e) {
            throw PredictJson.malformed(e);
        }
    }

    private double[][] body() {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidInputException("request body", "an object {\"instances\": [...]}", describe(token));
        }
        double[][] rows = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            if (!name.equals("instances")) {
                parser.skipChildren();
            } else if (rows != null) {
                throw new InvalidInputException("instances", "one member instances", "a second one");
            } else {
                rows = instances(value);
            }
        }
        if (rows == null) {
            throw new InvalidInputException("instances", "an array of rows", "none");
        }
        if (parser.nextToken() != null) {
            throw new InvalidInputException("request body", "one JSON document", "more after it");
        }
        return rows;
    }

    private double[][] instances(JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            throw new InvalidInputException("instances", "an array of rows", describe(token));
        }
        List<double[]> rows = new ArrayList<>();
        for (JsonToken row = parser.nextToken(); row != JsonToken.END_ARRAY; row = parser.nextToken()) {
            int b = rows.size();
            if (b == maxBatch) {
                throw new InvalidInputException("instances", "at most " + maxBatch
                        + " rows (lrnn.predict.max-batch)", "at least " + (maxBatch + 1) + " rows");
            }
            String field = "instances[" + b + "]";
            if (row == JsonToken.START_ARRAY) {
                rows.add(byPosition(field));
            } else if (row == JsonToken.START_OBJECT) {
                rows.add(byName(field));
            } else {
                throw new InvalidInputException(field, "an array of " + inputs.size()
                        + " numbers or an object keyed by " + inputs, describe(row));
            }
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException("instances", "at least one row", "an empty batch");
        }
        return rows.toArray(double[][]::new);
    }

    private double[] byPosition(String field) {
        int n = inputs.size();
        double[] values = new double[n];
        int count = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (count < n) {
                values[count] = number(token, field + "[" + count + "]");
            } else {
                parser.skipChildren();
            }
            count++;
        }
        if (count != n) {
            throw new InvalidInputException(field, n + " values " + inputs, count + " values");
        }
        return values;
    }

    private double[] byName(String field) {
        double[] values = new double[inputs.size()];
        boolean[] seen = new boolean[inputs.size()];
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            Integer i = index.get(name);
            if (i == null) {
                throw new InvalidInputException(field + "." + PredictJson.shorten(name),
                        "one of the features " + inputs, "an unknown feature");
            }
            if (seen[i]) {
                throw new InvalidInputException(field + "." + name, "each feature once", "it again");
            }
            seen[i] = true;
            values[i] = number(parser.nextToken(), field + "." + name);
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new InvalidInputException(field + "." + inputs.get(i), "a number", "none");
            }
        }
        return values;
    }

    /** The number at {@code token}, finite; beyond the double range it is infinite, so refused. */
    private double number(JsonToken token, String field) {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidInputException(field, "a number", describe(token));
        }
        double v = PredictJson.doubleValue(parser);
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(field, "a finite number", v);
        }
        return v;
    }

    /** What was found where a value was expected, as the tree reader named it. */
    private String describe(JsonToken token) {
        if (token == null) {
            return "none";
        }
        return switch (token) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "string \"" + PredictJson.shorten(parser.getString()) + "\"";
            default -> token.toString().toLowerCase();
        };
    }
}
