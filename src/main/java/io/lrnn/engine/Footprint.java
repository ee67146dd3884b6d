package io.lrnn.engine;

import java.math.BigInteger;

/**
 * What a network spec will hold in memory, computed from the spec alone (nothing allocated), in
 * saturating long arithmetic: a product past {@link Long#MAX_VALUE} is {@link Long#MAX_VALUE}, so
 * a hostile spec compares as "too large" instead of overflowing. Counts are values (doubles).
 */
public final class Footprint {

    /** Rows a layer processes at once ({@link Network}'s block). */
    public static final int BLOCK_ROWS = Network.BLOCK_ROWS;

    private Footprint() {
    }

    /** Number of parameters of layer {@code k} of {@code spec}; the head is {@code k == layers().size()}. */
    public static long parameters(NetworkSpec spec, int k) {
        long n = spec.inputSizeOf(k);
        if (k == spec.layers().size()) {
            return add(multiply(spec.outputSize(), n), spec.outputSize());
        }
        if (spec.layers().get(k) instanceof LrnnLayerSpec l) {
            long rd = multiply(l.width(), l.projection());
            long functions = l.sharedFunctions() ? l.projection() : rd;
            long perFunction = add(multiply(3, l.hidden()), 1);
            return add(add(multiply(rd, n), rd), add(multiply(functions, perFunction),
                    l.layerNorm() ? multiply(2, l.width()) : 0));
        }
        long width = spec.layers().get(k).width();
        return add(multiply(width, n), width);
    }

    /** Number of parameters of the whole network. */
    public static long parameters(NetworkSpec spec) {
        long total = 0;
        for (int k = 0; k <= spec.layers().size(); k++) {
            total = add(total, parameters(spec, k));
        }
        return total;
    }

    /**
     * Values held by layer {@code k}'s buffers while it predicts a block of {@code rows} rows
     * (at most {@link #BLOCK_ROWS}): its transposed input, pre-activations, LRNN factors (r x d
     * per row), outputs, and scratch (r x d x h for the single-row path).
     */
    public static long layerWorkingSet(NetworkSpec spec, int k, int rows) {
        long block = Math.min(rows, BLOCK_ROWS);
        long n = spec.inputSizeOf(k);
        if (k < spec.layers().size() && spec.layers().get(k) instanceof LrnnLayerSpec l) {
            long rd = multiply(l.width(), l.projection());
            long perRow = add(add(n, multiply(2, rd)), multiply(l.layerNorm() ? 3 : 2, l.width()));
            long scratch = add(multiply(2, Math.max(block, multiply(rd, l.hidden()))), block);
            return add(multiply(block, perRow), scratch);
        }
        long width = k == spec.layers().size() ? spec.outputSize() : spec.layers().get(k).width();
        return multiply(block, add(n, multiply(3, width)));
    }

    /**
     * Bytes one predict call of {@code rows} rows needs besides the parameters: the rows as parsed,
     * as a matrix and standardised, the outputs twice, and every layer's buffers for one block
     * (a thread keeps them between calls).
     */
    public static long predictBytes(NetworkSpec spec, int rows) {
        long block = Math.min(rows, BLOCK_ROWS);
        long values = add(multiply(3, multiply(rows, spec.inputSize())), multiply(2, multiply(rows, spec.outputSize())));
        values = add(values, multiply(block, spec.inputSize()));
        for (int k = 0; k <= spec.layers().size(); k++) {
            values = add(values, layerWorkingSet(spec, k, rows));
        }
        return multiply(Double.BYTES, values);
    }

    /** {@code a * b} for non-negative values, saturating at {@link Long#MAX_VALUE}. */
    public static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    /** {@code a + b} for non-negative values, saturating at {@link Long#MAX_VALUE}. */
    public static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The exact product, for messages (it may not fit in a long). */
    static String product(long... factors) {
        BigInteger p = BigInteger.ONE;
        for (long f : factors) {
            p = p.multiply(BigInteger.valueOf(f));
        }
        return p.toString();
    }
}
