package io.lrnn.server.models;

import io.lrnn.engine.Model;
import java.util.List;
import java.util.Map;

/** Where uploaded (and later trained) model versions are kept, so they survive restarts. */
public interface ModelStore {

    /** A stored version, or the reason it could not be read. */
    record Stored(String name, String version, Model model, String error) {
    }

    /** Every stored version; one that cannot be read comes back with its error, not as an exception. */
    List<Stored> loadAll();

    /** Keeps a version whole or not at all. */
    void save(String name, String version, Model model);

    void delete(String name, String version);

    /** Pinned default versions, by model name. */
    Map<String, String> defaultVersions();

    void saveDefaultVersion(String name, String version);
}
