package io.lrnn.server.models;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps versions as {@code <root>/<name>/<version>/} directories (written atomically by
 * {@link ModelFiles}) and a model's pinned default in {@code <root>/<name>/default-version}.
 */
public class FileSystemModelStore implements ModelStore {

    static final String DEFAULT_VERSION_FILE = "default-version";

    private final Path root;

    public FileSystemModelStore(Path root) {
        this.root = root;
    }

    @Override
    public List<Stored> loadAll() {
        return ModelDirectory.readAll(root);
    }

    @Override
    public void save(String name, String version, Model model) {
        try {
            Files.createDirectories(root.resolve(name));
            ModelFiles.write(model, root.resolve(name).resolve(version));
        } catch (IOException e) {
            throw new UncheckedIOException("could not store model " + name + " version " + version, e);
        }
    }

    @Override
    public void delete(String name, String version) {
        Path dir = root.resolve(name).resolve(version);
        if (!Files.exists(dir)) {
            return;
        }
        // Rename first so a crash mid-delete never leaves a half-deleted version that looks whole.
        Path doomed = root.resolve(name).resolve("." + version + ".deleted-" + System.nanoTime());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> files = Files.walk(doomed)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete model " + name + " version " + version, e);
        }
    }

    @Override
    public Map<String, String> defaultVersions() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Path model : ModelDirectory.children(root)) {
            Path file = model.resolve(DEFAULT_VERSION_FILE);
            try {
                if (Files.isRegularFile(file)) {
                    defaults.put(model.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8).trim());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return defaults;
    }

    @Override
    public void saveDefaultVersion(String name, String version) {
        try {
            Path dir = Files.createDirectories(root.resolve(name));
            Path temp = Files.createTempFile(dir, ".default-version", ".tmp");
            Files.writeString(temp, version, StandardCharsets.UTF_8);
            Files.move(temp, dir.resolve(DEFAULT_VERSION_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the default version of model " + name, e);
        }
    }
}
