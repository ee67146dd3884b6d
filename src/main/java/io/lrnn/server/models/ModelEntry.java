package io.lrnn.server.models;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A model name with its versions (ordered by {@link VersionOrder}) and an optional pinned
 * default; without a pin the default is the highest version. Immutable: changes make a new entry.
 */
public record ModelEntry(String name, NavigableMap<String, LoadedModel> versions, String pinnedDefault) {

    public ModelEntry {
        versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
    }

    static ModelEntry empty(String name) {
        return new ModelEntry(name, new TreeMap<>(VersionOrder.INSTANCE), null);
    }

    /** The version served when a request names none. */
    public String defaultVersion() {
        return pinnedDefault != null ? pinnedDefault : versions.lastKey();
    }

    ModelEntry with(LoadedModel model) {
        TreeMap<String, LoadedModel> copy = new TreeMap<>(versions);
        copy.put(model.version(), model);
        return new ModelEntry(name, copy, pinnedDefault);
    }

    /** Without {@code version}; null when no version is left. A removed pinned default is unpinned. */
    ModelEntry without(String version) {
        TreeMap<String, LoadedModel> copy = new TreeMap<>(versions);
        copy.remove(version);
        return copy.isEmpty() ? null : new ModelEntry(name, copy, version.equals(pinnedDefault) ? null : pinnedDefault);
    }

    ModelEntry pinned(String version) {
        return new ModelEntry(name, new TreeMap<>(versions), version);
    }
}
