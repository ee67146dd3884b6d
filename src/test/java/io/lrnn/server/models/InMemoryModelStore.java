package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.io.SafeTensors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ModelStore} in a map, for tests that need no database; counts {@link #load} calls. */
public class InMemoryModelStore implements ModelStore {

    private record Stored(Files files, Instant at) {
    }

    private final Map<List<String>, Stored> versions = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();
    private final Map<String, ModelLabels> labels = new ConcurrentHashMap<>();
    private final AtomicLong tick = new AtomicLong();
    /** How often a version's files were fetched. */
    public final AtomicInteger loads = new AtomicInteger();

    @Override
    public Map<List<String>, Instant> versions() {
        Map<List<String>, Instant> stamps = new java.util.HashMap<>();
        versions.forEach((key, stored) -> stamps.put(key, stored.at()));
        return stamps;
    }

    @Override
    public Files load(String name, String version) {
        loads.incrementAndGet();
        Stored stored = versions.get(List.of(name, version));
        if (stored == null) {
            throw new ModelNotFoundException("model " + name + " has no stored version " + version);
        }
        return stored.files();
    }

    @Override
    public void save(String name, String version, byte[] modelJson, byte[] weights, String jobId) {
        Stored stored = new Stored(new Files(modelJson, weights), Instant.ofEpochSecond(tick.incrementAndGet()));
        if (versions.putIfAbsent(List.of(name, version), stored) != null) {
            throw new ModelConflictException("model " + name + " already has a version " + version);
        }
    }

    /** Stores {@code model} as F64 files. */
    public void save(String name, String version, Model model) {
        save(name, version, ModelFiles.toJson(model), ModelFiles.toSafeTensors(model, SafeTensors.DType.F64), null);
    }

    @Override
    public synchronized void delete(String name, String version) {
        List<String> naming = labels.getOrDefault(name, ModelLabels.NONE).naming(version);
        if (!naming.isEmpty()) {
            throw ModelConflictException.labelled(name, version, naming);
        }
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

    @Override
    public Map<String, ModelLabels> labels() {
        return Map.copyOf(labels);
    }

    @Override
    public synchronized void saveLabel(String name, String label, String version, boolean stored) {
        if (stored && !versions.containsKey(List.of(name, version))) {
            throw new ModelNotFoundException("model " + name + " has no stored version " + version);
        }
        labels.put(name, labels.getOrDefault(name, ModelLabels.NONE).with(label, version));
    }

    @Override
    public synchronized void deleteLabel(String name, String label) {
        ModelLabels named = labels.getOrDefault(name, ModelLabels.NONE);
        if (named.split() != null && named.split().uses(label)) {
            throw ModelConflictException.inSplit(name, label);
        }
        labels.put(name, named.without(label));
    }

    @Override
    public synchronized void saveSplit(String name, TrafficSplit split) {
        labels.put(name, labels.getOrDefault(name, ModelLabels.NONE).withSplit(split));
    }
}
