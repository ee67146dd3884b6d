package io.lrnn.server.models;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Every loaded model version, by name. Entries are immutable and replaced atomically, so a request
 * that resolved a version keeps using that whole version while uploads, deletes and default
 * changes go on. Labels name versions ({@link ModelLabels}); a version wins over a label of the
 * same name.
 */
@Component
public class ModelRegistry {

    private final ConcurrentHashMap<String, ModelEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ModelLabels> labels = new ConcurrentHashMap<>();

    /**
     * The version that {@code versionOrLabel} names, a version first and else a label; when it is
     * null, the label the model's traffic split picks at random or, without a split, the default version.
     */
    public LoadedModel resolve(String name, String versionOrLabel) {
        return resolve(name, versionOrLabel, null);
    }

    /**
     * As {@link #resolve(String, String)}, with the request's id: a traffic split sends every
     * request of one id to the same label (null: at random).
     */
    public LoadedModel resolve(String name, String versionOrLabel, String requestId) {
        ModelEntry entry = entry(name);
        ModelLabels named = labels(name);
        if (versionOrLabel == null) {
            TrafficSplit split = named.split();
            return split == null ? version(entry, entry.defaultVersion()) : labelled(entry, named, split.pick(requestId));
        }
        LoadedModel model = entry.versions().get(versionOrLabel);
        if (model != null) {
            return model;
        }
        if (named.labels().containsKey(versionOrLabel)) {
            return labelled(entry, named, versionOrLabel);
        }
        if (named.labels().isEmpty()) {
            throw noVersion(entry, versionOrLabel);
        }
        throw new ModelNotFoundException("model " + name + " has no version or label " + versionOrLabel
                + " (versions: " + versions(entry) + "; labels: " + named.list() + ")");
    }

    /** The version that {@code label} names (a label only, never a version). */
    public LoadedModel resolveLabel(String name, String label) {
        ModelEntry entry = entry(name);
        ModelLabels named = labels(name);
        if (!named.labels().containsKey(label)) {
            throw named.missing(name, label);
        }
        return labelled(entry, named, label);
    }

    /** Exactly the version {@code version} (never a label). */
    public LoadedModel version(String name, String version) {
        return version(entry(name), version);
    }

    private static LoadedModel version(ModelEntry entry, String version) {
        LoadedModel model = entry.versions().get(version);
        if (model == null) {
            throw noVersion(entry, version);
        }
        return model;
    }

    private static LoadedModel labelled(ModelEntry entry, ModelLabels named, String label) {
        String version = named.labels().get(label);
        if (version == null) {
            throw named.missing(entry.name(), label); // a split whose label is gone: never on a consistent read
        }
        LoadedModel model = entry.versions().get(version);
        if (model == null) {
            throw new ModelNotFoundException("model " + entry.name() + " label " + label + " names version "
                    + version + ", which is not served (versions: " + versions(entry) + ")");
        }
        return model;
    }

    private static ModelNotFoundException noVersion(ModelEntry entry, String version) {
        return new ModelNotFoundException("model " + entry.name() + " has no version " + version + " (versions: "
                + versions(entry) + ")");
    }

    private static String versions(ModelEntry entry) {
        return String.join(", ", entry.versions().keySet());
    }

    /** The labels and traffic split of {@code name} (none for a model without). */
    public ModelLabels labels(String name) {
        return labels.getOrDefault(name, ModelLabels.NONE);
    }

    public ModelEntry entry(String name) {
        ModelEntry entry = entries.get(name);
        if (entry == null) {
            throw new ModelNotFoundException("no model named " + name);
        }
        return entry;
    }

    /** All models, by name. */
    public List<ModelEntry> entries() {
        return entries.values().stream().sorted(Comparator.comparing(ModelEntry::name)).toList();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public boolean contains(String name, String version) {
        ModelEntry entry = entries.get(name);
        return entry != null && entry.versions().containsKey(version);
    }

    public int versionCount() {
        return entries.values().stream().mapToInt(e -> e.versions().size()).sum();
    }

    /** Adds a version; fails if it exists, unless {@code replace}. */
    void add(LoadedModel model, boolean replace) {
        entries.compute(model.name(), (name, entry) -> {
            ModelEntry current = entry != null ? entry : ModelEntry.empty(name);
            if (!replace && current.versions().containsKey(model.version())) {
                throw new ModelConflictException("model " + name + " already has a version " + model.version());
            }
            return current.with(model);
        });
    }

    void remove(String name, String version) {
        version(name, version);
        entries.computeIfPresent(name, (n, entry) -> entry.without(version));
    }

    /** Pins {@code version} as the default of {@code name}; null unpins. */
    void pinDefault(String name, String version) {
        if (version != null) {
            version(name, version);
        }
        entries.computeIfPresent(name, (n, entry) -> entry.pinned(version));
    }

    /** Sets the labels and traffic split of {@code name}. */
    void setLabels(String name, ModelLabels named) {
        labels.put(name, named);
    }

    /** Sets every model's labels and traffic split to the store's. */
    void replaceLabels(Map<String, ModelLabels> stored) {
        labels.keySet().retainAll(stored.keySet());
        labels.putAll(stored);
    }
}
