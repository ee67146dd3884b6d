package io.lrnn.server.predict;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the native API's {@code instances}: each row an array of numbers in input order, or an
 * object keyed by feature name. Errors name the row and feature.
 */
final class InstancesReader {

    private InstancesReader() {
    }

    static double[][] read(JsonNode body, List<String> inputs) {
        JsonNode instances = body == null ? null : body.get("instances");
        if (instances == null || !instances.isArray()) {
            throw new InvalidInputException("instances", "an array of rows",
                    instances == null ? "none" : instances.getNodeType().toString().toLowerCase());
        }
        double[][] rows = new double[instances.size()][];
        for (int b = 0; b < rows.length; b++) {
            JsonNode row = instances.get(b);
            rows[b] = row.isObject() ? byName(row, inputs, b) : byPosition(row, inputs, b);
        }
        return rows;
    }

    private static double[] byPosition(JsonNode row, List<String> inputs, int b) {
        String field = "instances[" + b + "]";
        if (!row.isArray()) {
            throw new InvalidInputException(field, "an array of " + inputs.size() + " numbers or an object keyed by "
                    + inputs, row.getNodeType().toString().toLowerCase());
        }
        if (row.size() != inputs.size()) {
            throw new InvalidInputException(field, inputs.size() + " values " + inputs, row.size() + " values");
        }
        double[] values = new double[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(row.get(i), field + "[" + i + "]");
        }
        return values;
    }

    private static double[] byName(JsonNode row, List<String> inputs, int b) {
        String field = "instances[" + b + "]";
        for (String name : row.propertyNames()) {
            if (!inputs.contains(name)) {
                throw new InvalidInputException(field + "." + name, "one of the features " + inputs,
                        "an unknown feature");
            }
        }
        double[] values = new double[inputs.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = row.get(inputs.get(i));
            if (value == null) {
                throw new InvalidInputException(field + "." + inputs.get(i), "a number", "none");
            }
            values[i] = number(value, field + "." + inputs.get(i));
        }
        return values;
    }

    static double number(JsonNode value, String field) {
        if (!value.isNumber()) {
            throw new InvalidInputException(field, "a number", value.getNodeType().toString().toLowerCase()
                    + (value.isString() ? " \"" + value.asString() + "\"" : ""));
        }
        double v = value.asDouble();
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(field, "a finite number", v);
        }
        return v;
    }
}
