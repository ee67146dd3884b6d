package io.lrnn.engine.io;

import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.SpecException;
import io.lrnn.engine.Tensor;
import io.lrnn.engine.TensorShape;
import io.lrnn.engine.io.SafeTensors.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A model version on disk: a directory holding {@value #MODEL_JSON} and {@value #WEIGHTS}.
 * Reading validates both files and their agreement and returns a complete model or throws
 * ({@link ModelFormatException} for content, {@link IOException} for I/O). Writing is atomic:
 * a version directory appears whole or not at all.
 */
public final class ModelFiles {

    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    /** Largest model.json accepted (it holds names and provenance, not weights). */
    public static final long MAX_MODEL_JSON_BYTES = 16L << 20;

    private static final int MAX_LISTED_PROBLEMS = 10;

    private ModelFiles() {
    }

    /** Reads the model version in {@code dir} within {@link ModelLimits#DEFAULT}. */
    public static Model read(Path dir) throws IOException {
        return read(dir, ModelLimits.DEFAULT);
    }

    /** Reads the model version in {@code dir}; files past their size caps are refused before they are read. */
    public static Model read(Path dir, ModelLimits limits) throws IOException {
        byte[] json = SafeTensors.readCapped(dir.resolve(MODEL_JSON), MAX_MODEL_JSON_BYTES);
        byte[] weights = SafeTensors.readCapped(dir.resolve(WEIGHTS), maxWeightsBytes(limits));
        return read(json, weights, limits);
    }

    /** {@link #read(byte[], byte[], ModelLimits)} within {@link ModelLimits#DEFAULT}. */
    public static Model read(byte[] modelJson, byte[] weights) {
        return read(modelJson, weights, ModelLimits.DEFAULT);
    }

    /**
     * The largest weights file that can hold a model within {@code limits}: every parameter as F64
     * plus the largest header. A caller can refuse a bigger upload before reading it.
     */
    public static long maxWeightsBytes(ModelLimits limits) {
        long data = limits.maxParameters() > SafeTensors.MAX_FILE_BYTES / Double.BYTES ? SafeTensors.MAX_FILE_BYTES
                : limits.maxParameters() * Double.BYTES;
        return Math.min(SafeTensors.MAX_FILE_BYTES, 8 + SafeTensors.MAX_HEADER_BYTES + data);
    }

    /**
     * Reads a model version from the contents of its two files (e.g. an upload). In this order,
     * so that nothing is allocated for a size that was not checked: model.json is parsed and its
     * network checked against {@code limits}; the safetensors header is parsed and matched
     * against the tensors the network implies (names, shapes, and byte lengths against the file
     * length); only then are the values decoded.
     */
    public static Model read(byte[] modelJson, byte[] weights, ModelLimits limits) {
        ModelFormatException.check(modelJson.length <= MAX_MODEL_JSON_BYTES, MODEL_JSON,
                "at most " + MAX_MODEL_JSON_BYTES + " bytes", modelJson.length + " bytes");
        ModelJson.Description description;
        SafeTensors.Header header;
        try {
            description = ModelJson.parse(modelJson);
            limits.check(description.spec());
        } catch (SpecException e) {
            String message = e.getMessage().startsWith(MODEL_JSON + ": ") ? e.getMessage()
                    : MODEL_JSON + ": " + e.getMessage();
            throw new ModelFormatException(message, e);
        }
        try {
            header = SafeTensors.readHeader(weights);
        } catch (SpecException e) {
            throw new ModelFormatException(WEIGHTS + ": " + e.getMessage(), e);
        }
        List<Integer> order = match(Network.shapes(description.spec()), header.shapes());
        List<Tensor> decoded;
        try {
            decoded = header.decode(weights);
        } catch (SpecException e) {
            throw new ModelFormatException(WEIGHTS + ": " + e.getMessage(), e);
        }
        List<Tensor> ordered = new ArrayList<>(order.size());
        order.forEach(i -> ordered.add(decoded.get(i)));
        try {
            Network network = new Network(description.spec(), new Parameters(ordered));
            return new Model(network, description.inputs(), description.outputs(), description.normalization(),
                    description.provenance());
        } catch (SpecException e) {
            throw new ModelFormatException("model files disagree: " + e.getMessage(), e);
        }
    }

    /**
     * For each tensor of the layout, its index among the file's tensors; fails listing every
     * missing, extra or mis-shaped tensor (an exporter bug usually breaks several at once, and one
     * message should show them all).
     */
    private static List<Integer> match(List<TensorShape> layout, List<TensorShape> tensors) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            byName.put(tensors.get(i).name(), i);
        }
        List<String> problems = new ArrayList<>();
        List<Integer> ordered = new ArrayList<>();
        for (TensorShape want : layout) {
            Integer index = byName.remove(want.name());
            String shape = Arrays.toString(want.shape());
            if (index == null) {
                problems.add(want.name() + ": expected a tensor of shape " + shape + " but found none (missing)");
            } else if (!Arrays.equals(tensors.get(index).shape(), want.shape())) {
                problems.add(want.name() + ": expected shape " + shape + " but found "
                        + Arrays.toString(tensors.get(index).shape()));
            } else {
                ordered.add(index);
            }
        }
        byName.keySet().forEach(name -> problems.add(name + ": expected no such tensor (model.json implies "
                + layout.size() + " others) but found shape " + Arrays.toString(tensors.get(byName.get(name)).shape())
                + " (extra)"));
        if (!problems.isEmpty()) {
            String listed = String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_LISTED_PROBLEMS)));
            int more = problems.size() - MAX_LISTED_PROBLEMS;
            throw new ModelFormatException(WEIGHTS + " does not match " + MODEL_JSON + ": " + listed
                    + (more > 0 ? "; and " + more + " more" : ""));
        }
        return ordered;
    }

    /** {@link #write(Model, Path, DType)} as F64: bit-exact. */
    public static void write(Model model, Path dir) throws IOException {
        write(model, dir, DType.F64);
    }

    /**
     * Writes {@code model} as a new version directory {@code dir}. Model versions are immutable:
     * {@code dir} must not exist or be an empty directory (which is replaced), otherwise a
     * {@link FileAlreadyExistsException}. Both files are written and synced in a hidden sibling
     * {@code .<name>.tmp-<uuid>} that is then renamed to {@code dir} (ATOMIC_MOVE), so a crash
     * leaves either no version or a whole one (plus, at worst, a stale hidden temporary directory
     * that readers listing versions should skip). The model must not be trained meanwhile.
     */
    public static void write(Model model, Path dir, DType dtype) throws IOException {
        byte[] json = toJson(model);
        byte[] weights = toSafeTensors(model, dtype);
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        refuseExisting(target);
        Path temporary = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(temporary);
        try {
            writeSynced(temporary.resolve(MODEL_JSON), json);
            writeSynced(temporary.resolve(WEIGHTS), weights);
            syncDirectory(temporary);
            if (Files.isDirectory(target)) {
                Files.delete(target); // checked empty above; fails if someone filled it since
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temporary);
            throw e;
        }
    }

    /** model.json for {@code model}. */
    public static byte[] toJson(Model model) {
        return ModelJson.toBytes(ModelJson.Description.of(model));
    }

    /** weights.safetensors for {@code model}: its parameters in layout order. */
    public static byte[] toSafeTensors(Model model, DType dtype) {
        return SafeTensors.toBytes(model.network().parameters().tensors(), dtype, Map.of());
    }

    private static void refuseExisting(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "is not empty; model versions are immutable");
            }
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes a rename or new entries durable; best effort, since not every OS can open a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Durability of the directory entry is then up to the OS; the files themselves are synced.
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leaves a hidden temporary directory behind; readers skip it.
        }
    }
}
