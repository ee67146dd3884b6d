package io.lrnn.server.training;

import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.RowChunks;
import java.util.List;

/**
 * Refuses a training job whose run would not fit in this JVM's heap, so a job cannot end the
 * replica with an OutOfMemoryError (and then the next replica that claims it). Checked at submit
 * and again on the replica that runs the job, before its data is loaded. The estimate errs high:
 * <ul>
 *   <li>parameters with their gradient, Adam moments, best copy, and one gradient per chunk;</li>
 *   <li>per-chunk workspaces (a chunk is what one thread runs; at most {@link RowChunks#MAX_CHUNKS}
 *       whatever the thread count): activations of a 256-row block through every layer and the
 *       head of K outputs, for a training batch or a validation pass, whichever needs more chunks;</li>
 *   <li>the data: the used columns as loaded, the engine's feature and target matrices and their
 *       standardised copies, and the row index arrays (the validation rows are indices too).</li>
 * </ul>
 */
final class MemoryBudget {

    /** Share of the maximum heap one job may plan to use. */
    static final double HEAP_SHARE = 0.5;
    private static final int BLOCK_ROWS = 256;

    private MemoryBudget() {
    }

    /** What a job holds: its network's shape, batch size and data. */
    record Shape(int inputs, List<LayerSpec> layers, int outputs, int targetColumns, int batchSize, int rows,
                 int validationRows) {
    }

    /** @throws InvalidRequestException when the estimate is over the budget */
    static void check(Shape shape) {
        check(shape, (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    static void check(Shape shape, long budget) {
        long model = modelBytes(shape);
        long data = dataBytes(shape);
        if (model + data > budget) {
            throw new InvalidRequestException("architecture", "a network and training.batchSize that fit in "
                    + "the memory of one job (at most " + mb(budget) + " MB)", "about " + mb(model + data)
                    + " MB (network, optimiser and workspaces " + mb(model) + " MB, " + shape.rows() + " rows of "
                    + "data " + mb(data) + " MB); use fewer or narrower layers, a smaller batchSize or fewer rows");
        }
    }

    /** Estimated bytes one training run holds. */
    static long bytes(Shape shape) {
        return modelBytes(shape) + dataBytes(shape);
    }

    private static long modelBytes(Shape s) {
        long parameters = 0;
        long cellsPerRow = s.inputs();
        int n = s.inputs();
        for (LayerSpec layer : s.layers()) {
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
        parameters += (long) s.outputs() * n + s.outputs();
        cellsPerRow += 3L * s.outputs(); // outputs, their gradient, targets
        int widest = Math.max(s.batchSize(), s.validationRows());
        int chunks = Math.max(RowChunks.count(s.batchSize()), RowChunks.count(Math.max(1, s.validationRows())));
        long blockRows = Math.min(BLOCK_ROWS, (widest + chunks - 1) / chunks);
        return Double.BYTES * (parameters * (5L + chunks) + chunks * blockRows * cellsPerRow);
    }

    private static long dataBytes(Shape s) {
        long columns = (long) s.inputs() + s.targetColumns();
        // loaded columns, engine matrices, standardised copies: 3 doubles per used cell;
        // shuffled order, training and validation index arrays: 3 ints per row
        return (long) s.rows() * (3L * Double.BYTES * columns + 3L * Integer.BYTES);
    }

    private static long mb(long bytes) {
        return bytes / (1 << 20);
    }
}
