package io.lrnn.server.models;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's labels (label to version, in label order) and its traffic split, or null for none.
 * Immutable: changes make a new value.
 */
public record ModelLabels(Map<String, String> labels, TrafficSplit split) {

    static final ModelLabels NONE = new ModelLabels(Map.of(), null);

    public ModelLabels {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    ModelLabels with(String label, String version) {
        Map<String, String> copy = new TreeMap<>(labels);
        copy.put(label, version);
        return new ModelLabels(copy, split);
    }

    ModelLabels without(String label) {
        Map<String, String> copy = new TreeMap<>(labels);
        copy.remove(label);
        return new ModelLabels(copy, split);
    }

    ModelLabels withSplit(TrafficSplit split) {
        return new ModelLabels(labels, split);
    }

    /** The labels that name {@code version}, in label order. */
    List<String> naming(String version) {
        return labels.entrySet().stream().filter(e -> e.getValue().equals(version)).map(Map.Entry::getKey).toList();
    }

    ModelNotFoundException missing(String name, String label) {
        return new ModelNotFoundException("model " + name + " has no label " + label + " (labels: " + list() + ")");
    }

    /** The labels, comma-separated, or "none". */
    String list() {
        return labels.isEmpty() ? "none" : String.join(", ", labels.keySet());
    }
}
