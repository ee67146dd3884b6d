package io.lrnn.engine.io;

import static io.lrnn.engine.io.ModelFormatException.check;

import io.lrnn.engine.Tensor;
import io.lrnn.engine.TensorShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}),
 * then the raw little-endian tensor data, offsets relative to its start. Only F64 and F32.
 */
public final class SafeTensors {

    /** Element types this engine reads and writes; values are always doubles in memory. */
    public enum DType {
        F64(8), F32(4);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }
    }

    /** The tensors of a file, in data order, and its optional string metadata. */
    public record Contents(List<Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = List.copyOf(tensors);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Reserved header key for string metadata. */
    public static final String METADATA = "__metadata__";
    /** Largest header accepted: a bound on what a hostile file can make the JSON parser do. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    /** Largest file accepted: files are read whole. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    /** Most tensors in one file (a network has about 8 per layer). */
    public static final int MAX_TENSORS = 65_536;

    private static final int ALIGNMENT = 8;

    private SafeTensors() {
    }

    /** {@link #toBytes(List, DType, Map)} as F64 without metadata: bit-exact. */
    public static byte[] toBytes(List<Tensor> tensors) {
        return toBytes(tensors, DType.F64, Map.of());
    }

    /**
     * Serialises {@code tensors} in the given order, contiguous, the header padded with spaces so
     * the data starts 8-byte aligned. Fails on a duplicate or reserved name, a non-finite value,
     * or (F32) a value outside float range: never writes a file that {@link #read} would reject.
     */
    public static byte[] toBytes(List<Tensor> tensors, DType dtype, Map<String, String> metadata) {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            check(!t.name().equals(METADATA) && !header.has(t.name()), "tensor name",
                    "a unique name other than " + METADATA, t.name());
            checkWritable(t, dtype);
            long end = offset + (long) t.data().length * dtype.bytes();
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        int headerLength = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        long total = 8L + headerLength + offset;
        check(total <= MAX_FILE_BYTES, "safetensors file", "at most " + MAX_FILE_BYTES + " bytes", total);
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerLength).put(json);
        for (int i = json.length; i < headerLength; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors) {
            for (double v : t.data()) {
                if (dtype == DType.F64) {
                    out.putDouble(v);
                } else {
                    out.putFloat((float) v);
                }
            }
        }
        return out.array();
    }

    private static void checkWritable(Tensor t, DType dtype) {
        double[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            double v = dtype == DType.F32 ? (float) data[i] : data[i];
            if (!Double.isFinite(v)) {
                throw new ModelFormatException(t.name() + ": expected finite " + dtype + " values but found "
                        + data[i] + " at flat index " + i);
            }
        }
    }

    /** Reads a whole file, refusing one larger than {@link #MAX_FILE_BYTES} before reading it. */
    public static Contents read(Path file) throws IOException {
        return read(readCapped(file, MAX_FILE_BYTES));
    }

    static byte[] readCapped(Path file, long cap) throws IOException {
        long size = Files.size(file);
        check(size <= cap, file.getFileName().toString(), "at most " + cap + " bytes", size + " bytes");
        return Files.readAllBytes(file);
    }

    /** Parses and validates a safetensors file held in memory; values are converted to double. */
    public static Contents read(byte[] file) {
        Header header = readHeader(file);
        return new Contents(header.decode(file), header.metadata());
    }

    /**
     * The validated header of a file: names, dtypes, shapes and offsets, which tile the data
     * section exactly. Nothing of the tensors' size is allocated, so a caller can match the
     * shapes against what it expects before {@link Header#decode}.
     */
    static Header readHeader(byte[] file) {
        check(file.length <= MAX_FILE_BYTES, "safetensors file", "at most " + MAX_FILE_BYTES + " bytes",
                file.length + " bytes");
        check(file.length >= 8, "safetensors file", "at least 8 bytes (the header length)",
                file.length + " bytes");
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long room = file.length - 8L;
        // Unsigned comparison: a length with the top bit set is huge, not negative.
        check(Long.compareUnsigned(headerLength, room) <= 0, "header length",
                "at most " + room + " bytes (the file size minus 8)", Long.toUnsignedString(headerLength));
        check(headerLength <= MAX_HEADER_BYTES, "header length", "at most " + MAX_HEADER_BYTES + " bytes",
                headerLength);
        int dataStart = 8 + (int) headerLength;
        JsonNode header = Json.parseObject(file, 8, (int) headerLength, "header");
        int tensorCount = header.size() - (header.has(METADATA) ? 1 : 0);
        check(tensorCount <= MAX_TENSORS, "header", "at most " + MAX_TENSORS + " tensors", tensorCount + " tensors");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : header.properties()) {
            if (property.getKey().equals(METADATA)) {
                readMetadata(property.getValue(), metadata);
            } else {
                entries.add(Entry.parse(property.getKey(), property.getValue()));
            }
        }
        checkLayout(entries, file.length - dataStart);
        return new Header(List.copyOf(entries), metadata, dataStart);
    }

    /** A validated header: entries sorted by offset, metadata, and where the data section starts. */
    static final class Header {
        private final List<Entry> entries;
        private final Map<String, String> metadata;
        private final int dataStart;

        private Header(List<Entry> entries, Map<String, String> metadata, int dataStart) {
            this.entries = entries;
            this.metadata = metadata;
            this.dataStart = dataStart;
        }

        /** Name and shape of every tensor, in data order. */
        List<TensorShape> shapes() {
            return entries.stream().map(e -> new TensorShape(e.name, e.shape)).toList();
        }

        Map<String, String> metadata() {
            return metadata;
        }

        /** Decodes the tensors (checking that every value is finite), in data order. */
        List<Tensor> decode(byte[] file) {
            List<Tensor> tensors = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                tensors.add(e.decode(file, dataStart));
            }
            return tensors;
        }
    }

    private static void readMetadata(JsonNode node, Map<String, String> into) {
        check(node.isObject() || node.isNull(), METADATA, "an object of strings", Json.describe(node));
        for (Map.Entry<String, JsonNode> p : node.properties()) {
            check(p.getValue().isString(), METADATA + "." + p.getKey(), "a string", Json.describe(p.getValue()));
            into.put(p.getKey(), p.getValue().stringValue());
        }
    }

    /** Sorts by offset and requires the tensors to tile the data section exactly: no overlap, hole or tail. */
    private static void checkLayout(List<Entry> entries, long dataLength) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        String previous = null;
        for (Entry e : entries) {
            String after = previous == null ? "the start of the data section" : previous;
            if (e.end > dataLength) {
                throw new ModelFormatException(e.name + ".data_offsets: expected an end within the data section of "
                        + dataLength + " bytes but found " + e.offsets() + " (truncated file?)");
            }
            if (e.begin < cursor) {
                throw new ModelFormatException(e.name + ".data_offsets: expected a begin of " + cursor + " (right after "
                        + after + ") but found " + e.offsets() + ", which overlaps " + previous);
            }
            if (e.begin > cursor) {
                throw new ModelFormatException(e.name + ".data_offsets: expected a begin of " + cursor + " (right after "
                        + after + ") but found " + e.offsets() + ", which leaves a hole of " + (e.begin - cursor)
                        + " bytes");
            }
            cursor = e.end;
            previous = e.name;
        }
        check(cursor == dataLength, "data section", cursor + " bytes (the tensors' total)",
                dataLength + " bytes (" + (dataLength - cursor) + " bytes not covered by any tensor)");
    }

    /** One validated header entry. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {

        static Entry parse(String name, JsonNode node) {
            check(node.isObject(), name, "an object with dtype, shape and data_offsets", Json.describe(node));
            JsonNode dtypeNode = node.path("dtype");
            String dtypeName = dtypeNode.isString() ? dtypeNode.stringValue() : "";
            check(dtypeName.equals("F64") || dtypeName.equals("F32"), name + ".dtype", "F64 or F32",
                    Json.describe(dtypeNode));
            DType dtype = DType.valueOf(dtypeName);
            int[] shape = parseShape(name, node.path("shape"));
            long[] offsets = parseOffsets(name, node.path("data_offsets"));
            long elements = 1;
            for (int s : shape) {
                elements *= s;
                // Bounded by the file cap so the product cannot overflow on the next dimension.
                check(elements * dtype.bytes() <= MAX_FILE_BYTES, name + ".shape",
                        "at most " + MAX_FILE_BYTES + " bytes of data", Arrays.toString(shape));
            }
            long bytes = elements * dtype.bytes();
            check(offsets[1] - offsets[0] == bytes, name + ".data_offsets", bytes + " bytes (shape "
                    + Arrays.toString(shape) + " x " + dtype + ")", (offsets[1] - offsets[0]) + " bytes "
                    + Arrays.toString(offsets));
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }

        private static int[] parseShape(String name, JsonNode node) {
            boolean ok = node.isArray();
            for (int i = 0; ok && i < node.size(); i++) {
                ok = node.get(i).isIntegralNumber() && node.get(i).canConvertToInt() && node.get(i).intValue() >= 0;
            }
            check(ok, name + ".shape", "a list of non-negative integers", Json.describe(node));
            int[] shape = new int[node.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = node.get(i).intValue();
            }
            return shape;
        }

        private static long[] parseOffsets(String name, JsonNode node) {
            boolean ok = node.isArray() && node.size() == 2;
            for (int i = 0; ok && i < 2; i++) {
                ok = node.get(i).isIntegralNumber() && node.get(i).canConvertToLong() && node.get(i).longValue() >= 0;
            }
            ok = ok && node.get(0).longValue() <= node.get(1).longValue();
            check(ok, name + ".data_offsets", "[begin, end] with 0 <= begin <= end", Json.describe(node));
            return new long[] {node.get(0).longValue(), node.get(1).longValue()};
        }

        String offsets() {
            return "[" + begin + ", " + end + "]";
        }

        Tensor decode(byte[] file, int dataStart) {
            int n = (int) ((end - begin) / dtype.bytes());
            double[] values = new double[n];
            ByteBuffer buffer = ByteBuffer.wrap(file, dataStart + (int) begin, (int) (end - begin))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            if (dtype == DType.F64) {
                buffer.asDoubleBuffer().get(values);
            } else {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.getFloat(i * 4);
                }
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new ModelFormatException(name + ": expected finite values but found " + values[i]
                            + " at flat index " + i);
                }
            }
            return new Tensor(name, shape, values);
        }
    }
}
