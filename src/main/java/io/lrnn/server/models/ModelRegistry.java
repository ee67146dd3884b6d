package io.lrnn.server.models;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Every loaded model version, by name. Entries are immutable and replaced atomically, so a request
 * that resolved a version keeps using that whole version while uploads, deletes and default
 * changes go on.
 */
@Component
public class ModelRegistry {

    private final ConcurrentHashMap<String, ModelEntry> entries = new ConcurrentHashMap<>();

    /** The named version, or the default one when {@code version} is null. */
    public LoadedModel resolve(String name, String version) {
        ModelEntry entry = entry(name);
        String wanted = version != null ? version : entry.defaultVersion();
        LoadedModel model = entry.versions().get(wanted);
        if (model == null) {
            throw new ModelNotFoundException("model " + name + " has no version " + wanted + " (versions: "
                    + String.join(", ", entry.versions().keySet()) + ")");
        }
        return model;
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
        resolve(name, version);
        entries.computeIfPresent(name, (n, entry) -> entry.without(version));
    }

    /** Pins {@code version} as the default of {@code name}; null unpins. */
    void pinDefault(String name, String version) {
        if (version != null) {
            resolve(name, version);
        }
        entries.computeIfPresent(name, (n, entry) -> entry.pinned(version));
    }
}
