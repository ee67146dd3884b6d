package io.lrnn.engine.io;

import io.lrnn.engine.Footprint;
import io.lrnn.engine.NetworkSpec;

/**
 * Bounds on what a model version may make this process hold, checked from model.json before any
 * tensor is allocated (the server passes its configured values; sizes are in values and bytes).
 *
 * @param maxParameters           most parameters in the whole network
 * @param maxLayerWorkingSetBytes most bytes one layer's buffers may hold for a block of
 *                                {@link Footprint#BLOCK_ROWS} rows (r x d x 256 values for an LRNN layer,
 *                                width x 256 for a dense one, and the rest)
 * @param predictRows             rows of the largest predict call (a full batch)
 * @param maxPredictBytes         most bytes such a call may need besides the parameters
 */
public record ModelLimits(long maxParameters, long maxLayerWorkingSetBytes, int predictRows, long maxPredictBytes) {

    /** Generous defaults for tools and tests: 50 million parameters, 1 GiB per layer, no predict budget. */
    public static final ModelLimits DEFAULT = new ModelLimits(50_000_000L, 1L << 30, 1, Long.MAX_VALUE);

    public ModelLimits {
        check(maxParameters > 0, "maxParameters", maxParameters);
        check(maxLayerWorkingSetBytes > 0, "maxLayerWorkingSetBytes", maxLayerWorkingSetBytes);
        check(predictRows > 0, "predictRows", predictRows);
        check(maxPredictBytes > 0, "maxPredictBytes", maxPredictBytes);
    }

    private static void check(boolean ok, String field, long found) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected a positive number but found " + found);
        }
    }

    /**
     * Fails with a {@link ModelFormatException} naming the first layer (as model.json's path
     * {@code layers[k]}, or {@code outputs} for the head) that takes the network past a limit.
     */
    void check(NetworkSpec spec) {
        long total = 0;
        for (int k = 0; k <= spec.layers().size(); k++) {
            String field = k == spec.layers().size() ? "outputs" : "layers[" + k + "].width";
            long parameters = Footprint.parameters(spec, k);
            total = Footprint.add(total, parameters);
            if (total > maxParameters) {
                throw new ModelFormatException(field + ": expected at most " + maxParameters
                        + " parameters in the network (limit max-parameters) but found " + show(total)
                        + " up to this layer, " + show(parameters) + " of them in this one ("
                        + describe(spec, k) + ")");
            }
            long workingSet = Footprint.multiply(Double.BYTES,
                    Footprint.layerWorkingSet(spec, k, Footprint.BLOCK_ROWS));
            if (workingSet > maxLayerWorkingSetBytes) {
                throw new ModelFormatException(field + ": expected a working set of at most " + maxLayerWorkingSetBytes
                        + " bytes for a block of " + Footprint.BLOCK_ROWS + " rows (limit max-layer-working-set) "
                        + "but found " + show(workingSet) + " bytes (" + describe(spec, k) + ")");
            }
        }
        long predict = Footprint.predictBytes(spec, predictRows);
        if (predict > maxPredictBytes) {
            throw new ModelFormatException("layers: expected a full predict batch (" + predictRows
                    + " rows) to need at most " + mib(maxPredictBytes) + " of working memory but found about "
                    + mib(predict) + " (" + show(predict) + " bytes)");
        }
    }

    private static String describe(NetworkSpec spec, int k) {
        int n = spec.inputSizeOf(k);
        if (k == spec.layers().size()) {
            return spec.outputSize() + " outputs on " + n + " inputs";
        }
        if (spec.layers().get(k) instanceof io.lrnn.engine.LrnnLayerSpec l) {
            return "lrnn width " + l.width() + " x projection " + l.projection() + " x hidden " + l.hidden()
                    + " on " + n + " inputs";
        }
        return "dense width " + spec.layers().get(k).width() + " on " + n + " inputs";
    }

    private static String show(long value) {
        return value == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(value);
    }

    static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB" : String.format(java.util.Locale.ROOT, "%.1f MiB",
                bytes / 1048576.0);
    }
}
