package io.lrnn.engine.io;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The package's one JSON mapper (strict: duplicate keys and trailing content are errors) and message helpers. */
final class Json {

    /**
     * Bounds on what a hostile document can make the tree parser build (depth, tokens, string
     * length); a document past them is a {@link ModelFormatException} like any invalid JSON.
     */
    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(64).maxTokenCount(2_000_000).maxStringLength(1 << 20).maxNameLength(1 << 16)
            .maxNumberLength(400).build();

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_SHOWN = 60;

    private Json() {
    }

    /** Parses {@code length} bytes at {@code offset}; fails naming {@code what} if they are not a JSON object. */
    static JsonNode parseObject(byte[] bytes, int offset, int length, String what) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes, offset, length);
        } catch (JacksonException e) {
            throw new ModelFormatException(what + ": expected a JSON object but found invalid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        boolean empty = root == null || root.isMissingNode();
        ModelFormatException.check(!empty && root.isObject(), what, "a JSON object",
                empty ? "nothing (no JSON value)" : describe(root));
        return root;
    }

    /** A JSON value as a message shows it: its text when short, else its kind. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing (the field is missing)";
        }
        if (node.isObject()) {
            return "an object";
        }
        String text = node.toString();
        if (text.length() <= MAX_SHOWN) {
            return text;
        }
        return node.isArray() ? "an array of " + node.size() + " elements" : text.substring(0, MAX_SHOWN) + "...";
    }
}
