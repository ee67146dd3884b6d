package io.lrnn.server.training;

import io.lrnn.engine.Footprint;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.RowChunks;

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

    private MemoryBudget() {
    }

    /** What a job holds: its network (K outputs for K classes), batch size and data. */
    record Shape(NetworkSpec network, int targetColumns, int batchSize, int rows, int validationRows) {
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
        NetworkSpec network = s.network();
        long parameters = Footprint.parameters(network);
        // Training activations per block row: 5 cells per unit (and per LRNN factor) of every layer.
        long cellsPerRow = network.inputSize();
        for (LayerSpec layer : network.layers()) {
            long units = layer instanceof LrnnLayerSpec l ? (long) l.width() * l.projection() + l.width() : layer.width();
            cellsPerRow += 5 * units;
        }
        cellsPerRow += 3L * network.outputSize(); // outputs, their gradient, targets
        int widest = Math.max(s.batchSize(), s.validationRows());
        int chunks = Math.max(RowChunks.count(s.batchSize()), RowChunks.count(Math.max(1, s.validationRows())));
        long blockRows = Math.min(Footprint.BLOCK_ROWS, (widest + chunks - 1) / chunks);
        long cells = Footprint.add(Footprint.multiply(parameters, 5L + chunks),
                Footprint.multiply(chunks * blockRows, cellsPerRow));
        return Footprint.multiply(Double.BYTES, cells);
    }

    private static long dataBytes(Shape s) {
        long columns = (long) s.network().inputSize() + s.targetColumns();
        // loaded columns, engine matrices, standardised copies: 3 doubles per used cell;
        // shuffled order, training and validation index arrays: 3 ints per row
        return (long) s.rows() * (3L * Double.BYTES * columns + 3L * Integer.BYTES);
    }

    private static long mb(long bytes) {
        return bytes / (1 << 20);
    }
}
