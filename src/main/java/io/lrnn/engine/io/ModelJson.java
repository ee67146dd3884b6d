package io.lrnn.engine.io;

import static io.lrnn.engine.io.ModelFormatException.check;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Normalization;
import io.lrnn.engine.SpecException;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * model.json (LRNN.md section 6) to and from the engine's types. Reading is strict about what
 * it uses (required fields, types, ranges, counts; messages give the JSON path, expected versus
 * found) and ignores unknown fields, so newer writers can add some.
 */
public final class ModelJson {

    public static final String FORMAT = "lrnn-model";
    public static final int FORMAT_VERSION = 1;

    /**
     * Everything in model.json: the network spec (input size = inputs, output size = outputs),
     * names, and the optional normalization and provenance (null when absent).
     */
    public record Description(NetworkSpec spec, List<String> inputs, List<String> outputs,
                              Normalization normalization, Model.Provenance provenance) {
        public Description {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }

        /** The description of a model that exists. */
        public static Description of(Model model) {
            return new Description(model.spec(), model.inputs(), model.outputs(), model.normalization(),
                    model.provenance());
        }
    }

    private ModelJson() {
    }

    /** Parses and validates model.json; fails with a {@link ModelFormatException} naming the field. */
    public static Description parse(byte[] json) {
        JsonNode root = Json.parseObject(json, 0, json.length, "model.json");
        JsonNode format = root.path("format");
        check(format.isString() && format.stringValue().equals(FORMAT), "format", "\"" + FORMAT + "\"",
                Json.describe(format));
        // The version is checked before any other field: another version may name them differently.
        JsonNode version = root.path("formatVersion");
        check(version.isIntegralNumber() && version.canConvertToInt() && version.intValue() == FORMAT_VERSION,
                "formatVersion", FORMAT_VERSION + " (the only version this reader supports)", Json.describe(version));
        Task task = choice(root.path("task"), "task", Task.values());
        List<String> inputs = names(root.path("inputs"), "inputs");
        List<String> outputs = names(root.path("outputs"), "outputs");
        check(task != Task.CLASSIFICATION || outputs.size() >= 2, "outputs",
                "at least 2 class labels for classification", outputs.size());
        List<LayerSpec> layers = layers(root.path("layers"));
        NetworkSpec spec = engine("model.json", () -> new NetworkSpec(inputs.size(), layers, outputs.size(), task));
        Normalization normalization = normalization(root.path("normalization"), task, inputs.size(), outputs.size());
        Model.Provenance provenance = provenance(root.path("provenance"));
        return new Description(spec, inputs, outputs, normalization, provenance);
    }

    /** Pretty-printed model.json with every field this format defines; enum values in lowercase. */
    public static byte[] toBytes(Description d) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("task", lower(d.spec().task()));
        d.inputs().forEach(root.putArray("inputs")::add);
        d.outputs().forEach(root.putArray("outputs")::add);
        if (d.normalization() != null) {
            ObjectNode n = root.putObject("normalization");
            addAll(n.putArray("inputMean"), d.normalization().inputMean());
            addAll(n.putArray("inputStd"), d.normalization().inputStd());
            addAll(n.putArray("targetMean"), d.normalization().targetMean());
            addAll(n.putArray("targetStd"), d.normalization().targetStd());
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerSpec layer : d.spec().layers()) {
            ObjectNode l = layers.addObject();
            if (layer instanceof LrnnLayerSpec lrnn) {
                l.put("type", "lrnn");
                l.put("width", lrnn.width());
                l.put("projection", lrnn.projection());
                l.put("hidden", lrnn.hidden());
                l.put("activation", lower(lrnn.activation()));
                l.put("omega", lrnn.omega());
                l.put("sharedFunctions", lrnn.sharedFunctions());
                l.put("layerNorm", lrnn.layerNorm());
            } else {
                DenseLayerSpec dense = (DenseLayerSpec) layer;
                l.put("type", "dense");
                l.put("width", dense.width());
                l.put("activation", lower(dense.activation()));
                l.put("omega", dense.omega());
            }
        }
        if (d.provenance() != null) {
            ObjectNode p = root.putObject("provenance");
            putIfPresent(p, "createdAt", d.provenance().createdAt());
            putIfPresent(p, "trainedBy", d.provenance().trainedBy());
            putIfPresent(p, "datasetDigest", d.provenance().datasetDigest());
            p.set("config", Json.MAPPER.valueToTree(d.provenance().config()));
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    private static List<LayerSpec> layers(JsonNode node) {
        check(node.isArray() && !node.isEmpty(), "layers", "a non-empty list of layers", Json.describe(node));
        List<LayerSpec> layers = new ArrayList<>();
        for (int k = 0; k < node.size(); k++) {
            String path = "layers[" + k + "]";
            JsonNode l = node.get(k);
            check(l.isObject(), path, "an object", Json.describe(l));
            JsonNode type = l.path("type");
            check(type.isString() && (type.stringValue().equals("lrnn") || type.stringValue().equals("dense")),
                    path + ".type", "\"lrnn\" or \"dense\"", Json.describe(type));
            layers.add(type.stringValue().equals("lrnn") ? lrnn(l, path) : dense(l, path));
        }
        return layers;
    }

    private static LayerSpec lrnn(JsonNode l, String path) {
        int width = positiveInt(l.path("width"), path + ".width");
        int projection = positiveInt(l.path("projection"), path + ".projection");
        int hidden = positiveInt(l.path("hidden"), path + ".hidden");
        JsonNode act = l.path("activation");
        UnivariateActivation activation = absent(act) ? UnivariateActivation.SIN
                : choice(act, path + ".activation", UnivariateActivation.values());
        double omega = omega(l.path("omega"), path + ".omega");
        boolean shared = flag(l.path("sharedFunctions"), path + ".sharedFunctions");
        boolean layerNorm = flag(l.path("layerNorm"), path + ".layerNorm");
        return engine(path, () -> new LrnnLayerSpec(width, projection, hidden, activation, omega, shared, layerNorm));
    }

    private static LayerSpec dense(JsonNode l, String path) {
        int width = positiveInt(l.path("width"), path + ".width");
        DenseActivation activation = choice(l.path("activation"), path + ".activation",
                DenseActivation.TANH, DenseActivation.RELU, DenseActivation.SINE);
        double omega = omega(l.path("omega"), path + ".omega");
        return engine(path, () -> new DenseLayerSpec(width, activation, omega));
    }

    private static Normalization normalization(JsonNode node, Task task, int inputs, int outputs) {
        if (absent(node)) {
            return null;
        }
        check(node.isObject(), "normalization", "an object", Json.describe(node));
        double[] inputMean = numbers(node.path("inputMean"), "normalization.inputMean", inputs, "input", false);
        double[] inputStd = numbers(node.path("inputStd"), "normalization.inputStd", inputs, "input", true);
        double[] targetMean = new double[0];
        double[] targetStd = new double[0];
        if (task == Task.REGRESSION) {
            targetMean = numbers(node.path("targetMean"), "normalization.targetMean", outputs, "output", false);
            targetStd = numbers(node.path("targetStd"), "normalization.targetStd", outputs, "output", true);
        } else {
            for (String field : List.of("targetMean", "targetStd")) {
                JsonNode t = node.path(field);
                check(absent(t) || (t.isArray() && t.isEmpty()), "normalization." + field,
                        "no values for classification (absent or [])", Json.describe(t));
            }
        }
        double[] im = inputMean;
        double[] is = inputStd;
        double[] tm = targetMean;
        double[] ts = targetStd;
        return engine("model.json", () -> new Normalization(im, is, tm, ts));
    }

    private static Model.Provenance provenance(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        check(node.isObject(), "provenance", "an object", Json.describe(node));
        JsonNode config = node.path("config");
        check(absent(config) || config.isObject(), "provenance.config", "an object", Json.describe(config));
        @SuppressWarnings("unchecked")
        Map<String, Object> values = absent(config) ? Map.of() : Json.MAPPER.treeToValue(config, Map.class);
        return new Model.Provenance(optionalString(node.path("createdAt"), "provenance.createdAt"),
                optionalString(node.path("trainedBy"), "provenance.trainedBy"),
                optionalString(node.path("datasetDigest"), "provenance.datasetDigest"), values);
    }

    /** Runs an engine constructor, prefixing its message with the JSON path it came from. */
    private static <T> T engine(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (SpecException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    @SafeVarargs
    private static <E extends Enum<E>> E choice(JsonNode node, String path, E... allowed) {
        for (E e : allowed) {
            if (node.isString() && node.stringValue().equals(lower(e))) {
                return e;
            }
        }
        String expected = List.of(allowed).stream().map(e -> "\"" + lower(e) + "\"")
                .collect(Collectors.joining(", ", "one of ", ""));
        throw new ModelFormatException(path + ": expected " + expected + " but found " + Json.describe(node));
    }

    private static List<String> names(JsonNode node, String path) {
        check(node.isArray() && !node.isEmpty(), path, "a non-empty list of names", Json.describe(node));
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            check(n.isString(), path + "[" + i + "]", "a string", Json.describe(n));
            check(seen.add(n.stringValue()), path + "[" + i + "]", "a name not used before", Json.describe(n));
            names.add(n.stringValue());
        }
        return names;
    }

    private static int positiveInt(JsonNode node, String path) {
        check(node.isIntegralNumber() && node.canConvertToInt() && node.intValue() > 0, path,
                "a positive integer", Json.describe(node));
        return node.intValue();
    }

    private static double omega(JsonNode node, String path) {
        if (absent(node)) {
            return 1.0;
        }
        check(node.isNumber() && Double.isFinite(node.doubleValue()) && node.doubleValue() > 0, path,
                "a finite number > 0", Json.describe(node));
        return node.doubleValue();
    }

    private static boolean flag(JsonNode node, String path) {
        if (absent(node)) {
            return false;
        }
        check(node.isBoolean(), path, "true or false", Json.describe(node));
        return node.booleanValue();
    }

    private static String optionalString(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        check(node.isString(), path, "a string", Json.describe(node));
        return node.stringValue();
    }

    private static double[] numbers(JsonNode node, String path, int count, String per, boolean positive) {
        check(node.isArray() && node.size() == count, path, count + " numbers (one per " + per + ")",
                Json.describe(node));
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            JsonNode v = node.get(i);
            check(v.isNumber() && Double.isFinite(v.doubleValue()) && (!positive || v.doubleValue() > 0),
                    path + "[" + i + "]", positive ? "a finite number > 0" : "a finite number", Json.describe(v));
            values[i] = v.doubleValue();
        }
        return values;
    }

    private static void addAll(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
