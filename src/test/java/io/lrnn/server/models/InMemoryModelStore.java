package io.lrnn.server.models;

import io.lrnn.engine.Model;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ModelStore} in a map, for tests that need no database. */
public class InMemoryModelStore implements ModelStore {

    private final Map<List<String>, Model> versions = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();

    @Override
    public Set<List<String>> keys() {
        return Set.copyOf(versions.keySet());
    }

    @Override
    public Stored load(String name, String version) {
        return new Stored(name, version, versions.get(List.of(name, version)), null);
    }

    @Override
    public void save(String name, String version, Model model, String jobId) {
        if (versions.putIfAbsent(List.of(name, version), model) != null) {
            throw new ModelConflictException("model " + name + " already has a version " + version);
        }
    }

    @Override
    public void delete(String name, String version) {
        versions.remove(List.of(name, version));
        defaults.remove(name, version);
    }

    @Override
    public Map<String, String> defaultVersions() {
        return Map.copyOf(defaults);
    }

    @Override
    public void saveDefaultVersion(String name, String version) {
        defaults.put(name, version);
    }
}
