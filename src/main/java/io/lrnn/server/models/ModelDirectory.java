package io.lrnn.server.models;

import io.lrnn.engine.io.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a tree of model versions laid out as {@code <root>/<name>/<version>/{model.json, weights.safetensors}}. */
final class ModelDirectory {

    private ModelDirectory() {
    }

    /** A version directory found under the root. */
    record Entry(String name, String version, Path dir) {
    }

    /** Every version directory under {@code root} (none if it does not exist); hidden entries are skipped. */
    static List<Entry> list(Path root) {
        List<Entry> found = new ArrayList<>();
        for (Path model : children(root)) {
            for (Path version : children(model)) {
                if (Files.isRegularFile(version.resolve(ModelFiles.MODEL_JSON))) {
                    found.add(new Entry(model.getFileName().toString(), version.getFileName().toString(), version));
                }
            }
        }
        return found;
    }

    /** Sub-directories of {@code dir} whose names are valid model names or versions, sorted. */
    static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> ModelNames.isValid(p.getFileName().toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
