package io.lrnn.server.training;

import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.RowChunks;
import java.util.List;

/**
 * Refuses a network and batch size whose training would not fit in this JVM's heap, so a job
 * cannot end the replica with an OutOfMemoryError (and then the next replica that claims it).
 * The estimate is rough but errs high: parameters with their gradient, Adam moments, best copy
 * and per-chunk gradients, plus the per-chunk activation buffers of a 256-row block.
 */
final class MemoryBudget {

    /** Share of the maximum heap one job may plan to use. */
    static final double HEAP_SHARE = 0.5;
    private static final int BLOCK_ROWS = 256;

    private MemoryBudget() {
    }

    /** @throws InvalidRequestException when the estimate is over the budget */
    static void check(int inputs, List<LayerSpec> layers, int outputs, int batchSize) {
        long budget = (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        long estimate = bytes(inputs, layers, outputs, batchSize);
        if (estimate > budget) {
            throw new InvalidRequestException("architecture", "a network and training.batchSize that fit in "
                    + "the memory of one job (at most " + budget / (1 << 20) + " MB)",
                    "about " + estimate / (1 << 20) + " MB; use fewer or narrower layers or a smaller batchSize");
        }
    }

    /** Estimated bytes one training run holds. */
    static long bytes(int inputs, List<LayerSpec> layers, int outputs, int batchSize) {
        long parameters = 0;
        long cellsPerRow = inputs;
        int n = inputs;
        for (LayerSpec layer : layers) {
            if (layer instanceof LrnnLayerSpec l) {
                long rd = (long) l.width() * l.projection();
                long functions = l.sharedFunctions() ? l.projection() : rd;
                parameters += rd * n + rd + functions * (3L * l.hidden() + 1) + 2L * l.width();
                cellsPerRow += 5 * rd + 5L * l.width();
            } else {
                DenseLayerSpec d = (DenseLayerSpec) layer;
                parameters += (long) d.width() * n + d.width();
                cellsPerRow += 5L * d.width();
            }
            n = layer.width();
        }
        parameters += (long) outputs * n + outputs;
        int chunks = RowChunks.count(batchSize);
        long blockRows = Math.min(BLOCK_ROWS, (batchSize + chunks - 1) / chunks);
        return Double.BYTES * (parameters * (5L + chunks) + chunks * blockRows * cellsPerRow);
    }
}
