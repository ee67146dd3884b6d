package io.lrnn.server.predict;

import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The streaming JSON reading both predict APIs share: a parser whose constraints bound nesting,
 * number and string lengths, a tree reader that stops at a count of values, and the translation
 * of the parser's complaints into 400s. Nothing here holds more of a body than its limits allow.
 */
final class PredictJson {

    /** Deeper than any request needs (a V2 tensor of rank 30 fits); a stack-eating body is a 400. */
    static final int MAX_DEPTH = 32;
    /** Longest number token: 1,000 characters, enough for any double written out in full. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest string or property name: ids, tensor names, datatypes. */
    static final int MAX_STRING_LENGTH = 64 * 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH).build())
            .build();

    private PredictJson() {
    }

    static JsonParser parser(InputStream body) {
        return FACTORY.createParser(ObjectReadContext.empty(), body);
    }

    /** The parser's complaint as a 400 about the body, without locations or class names. */
    static InvalidInputException malformed(JacksonException e) {
        if (e instanceof JacksonIOException) {
            return new InvalidInputException("request body", "a body that can be read to its end",
                    "a broken stream (" + e.getCause() + ")");
        }
        String message = String.valueOf(e.getOriginalMessage());
        int setting = message.indexOf(", from `");
        message = setting > 0 ? message.substring(0, setting) + ")" : message;
        for (String noise : new String[] {" (start marker", "\n", " (set with", " (as set by"}) {
            int end = message.indexOf(noise);
            message = end > 0 ? message.substring(0, end) : message;
        }
        String expected = e instanceof StreamConstraintsException
                ? "JSON within the limits (depth " + MAX_DEPTH + ", numbers of " + MAX_NUMBER_LENGTH
                        + " characters, strings of " + MAX_STRING_LENGTH + ")"
                : "well-formed JSON";
        return new InvalidInputException("request body", expected, message);
    }

    /** The current number token as a double: infinite beyond the double range, where Jackson may throw. */
    static double doubleValue(JsonParser parser) {
        try {
            return parser.getDoubleValue();
        } catch (InputCoercionException e) {
            return parser.getString().startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
    }

    /** {@code text} cut to 40 characters for an error message, saying how long it was. */
    static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
    }

    /**
     * Reads one JSON document as a tree, refusing it as soon as it holds more than
     * {@code maxValues} values (scalars, arrays and objects alike), so the tree is bounded by the
     * caller's limit and not by the body's size. Null for an empty body.
     *
     * @param tooMany what to throw, given the limit, once it is passed
     */
    static JsonNode boundedTree(JsonParser parser, long maxValues,
                                java.util.function.LongFunction<InvalidInputException> tooMany) {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            long[] count = {0};
            JsonNode tree = value(parser, first, count, maxValues, tooMany);
            if (parser.nextToken() != null) {
                throw new InvalidInputException("request body", "one JSON document", "more after it");
            }
            return tree;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token, long[] count, long max,
                                  java.util.function.LongFunction<InvalidInputException> tooMany) {
        if (++count[0] > max) {
            throw tooMany.apply(max);
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                    object.set(name, value(parser, parser.nextToken(), count, max, tooMany));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t, count, max, tooMany));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.stringNode(parser.getString());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(doubleValue(parser));
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new InvalidInputException("request body", "a JSON value", token);
        }
    }
}
