package io.lrnn.server.models;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the requests of a model that name no version are shared between two of its labels, in
 * percent: {@code first} takes buckets {@code [0, firstWeight)} of {@value #TOTAL}, {@code second}
 * the rest. The labels are kept in name order, so one split has one form whatever order it was
 * written in.
 */
public record TrafficSplit(String first, int firstWeight, String second, int secondWeight) {

    /** What the weights add up to. */
    public static final int TOTAL = 100;

    public TrafficSplit {
        if (first.compareTo(second) > 0) {
            String label = first;
            first = second;
            second = label;
            int weight = firstWeight;
            firstWeight = secondWeight;
            secondWeight = weight;
        }
    }

    /**
     * The split that {@code weights} (label to weight) describes.
     *
     * @param weights label to weight, as read from JSON (a weight that is not an {@link Integer} is refused)
     * @throws InvalidModelException unless it is two labels with whole weights from 0 to 100 adding up to 100
     */
    static TrafficSplit of(Map<String, ?> weights) {
        if (weights.size() != 2) {
            throw new InvalidModelException("split: expected two labels with their weights but found "
                    + weights.size() + " " + weights.keySet());
        }
        Map<String, Integer> checked = new LinkedHashMap<>();
        weights.forEach((label, value) -> {
            ModelNames.check("split", label);
            if (!(value instanceof Integer weight) || weight < 0 || weight > TOTAL) {
                throw new InvalidModelException("split." + label + ": expected a whole number from 0 to " + TOTAL
                        + " but found " + (value instanceof String ? "\"" + value + "\"" : value));
            }
            checked.put(label, weight);
        });
        int total = checked.values().stream().mapToInt(Integer::intValue).sum();
        if (total != TOTAL) {
            throw new InvalidModelException("split: expected weights adding up to " + TOTAL + " but found " + total
                    + " " + checked);
        }
        var labels = checked.entrySet().iterator();
        var a = labels.next();
        var b = labels.next();
        return new TrafficSplit(a.getKey(), a.getValue(), b.getKey(), b.getValue());
    }

    /** The weights by label, in label order. */
    public Map<String, Integer> weights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(first, firstWeight);
        weights.put(second, secondWeight);
        return weights;
    }

    boolean uses(String label) {
        return first.equals(label) || second.equals(label);
    }

    /** The label that answers: by the request id's bucket when there is one (the same id, the same label), else at random. */
    String pick(String requestId) {
        int bucket = requestId != null ? bucket(requestId) : ThreadLocalRandom.current().nextInt(TOTAL);
        return bucket < firstWeight ? first : second;
    }

    /**
     * The request id's bucket, 0 to 99: the first 8 bytes of the SHA-256 of its UTF-8 bytes, as
     * an unsigned number, modulo 100. The same on every replica and every JVM.
     */
    static int bucket(String requestId) {
        byte[] digest = sha256().digest(requestId.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            high = (high << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(high, TOTAL);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
