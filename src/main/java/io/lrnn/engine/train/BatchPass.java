package io.lrnn.engine.train;

import io.lrnn.engine.Network;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.RowChunks;
import io.lrnn.engine.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import org.ejml.data.DMatrixRMaj;

/**
 * Loss and gradient of a network over selected rows of a data set, split into
 * {@link RowChunks} that run in parallel and are summed in chunk order (deterministic whatever
 * the thread count). Buffers are kept between calls, so steady-state steps reuse them.
 * Not thread-safe.
 */
public final class BatchPass {

    /** Rows gathered and passed through the network at once within a chunk. */
    static final int BLOCK_ROWS = 256;

    private final Network network;
    private final Loss loss;
    private final RowChunks.Runner runner;
    private final IntConsumer chunkBody = this::runChunk;
    private final Step step = new Step();
    private final List<Chunk> chunks = new ArrayList<>();

    /** Per-chunk state, touched by one thread at a time. */
    private final class Chunk {
        final Workspace workspace = network.newWorkspace();
        final Parameters grads = Parameters.zeros(network.parameters().tensors());
        final DMatrixRMaj input = new DMatrixRMaj(1, 1);
        final DMatrixRMaj target = new DMatrixRMaj(1, 1);
        final DMatrixRMaj gradOut = new DMatrixRMaj(1, 1);
        double lossSum;
        int correct;
    }

    /** {@code pool} may be null to run in the calling thread. */
    public BatchPass(Network network, Loss loss, ForkJoinPool pool) {
        this.network = network;
        this.loss = loss;
        this.runner = new RowChunks.Runner(pool);
    }

    /**
     * Mean loss over {@code rows[0..count)} of ({@code x}, {@code y}); sets {@code grads} to its
     * gradient.
     */
    public double lossAndGradient(DMatrixRMaj x, DMatrixRMaj y, int[] rows, int count, Parameters grads) {
        run(x, y, rows, count, true);
        grads.clear();
        double sum = 0;
        for (int c = 0; c < RowChunks.count(count); c++) {
            grads.add(chunks.get(c).grads);
            sum += chunks.get(c).lossSum;
        }
        return sum / count;
    }

    /** Mean loss and, for classification, accuracy over {@code rows[0..count)}, without gradients. */
    public Evaluation evaluate(DMatrixRMaj x, DMatrixRMaj y, int[] rows, int count) {
        run(x, y, rows, count, false);
        double sum = 0;
        int correct = 0;
        for (int c = 0; c < RowChunks.count(count); c++) {
            sum += chunks.get(c).lossSum;
            correct += chunks.get(c).correct;
        }
        return new Evaluation(sum / count, (double) correct / count);
    }

    /** Mean loss and the share of rows classified correctly (0 for regression). */
    public record Evaluation(double loss, double accuracy) {
    }

    private void run(DMatrixRMaj x, DMatrixRMaj y, int[] rows, int count, boolean withGradient) {
        int n = RowChunks.count(count);
        while (chunks.size() < n) {
            chunks.add(new Chunk());
        }
        step.set(x, y, rows, count, n, withGradient);
        runner.run(n, chunkBody);
        step.set(null, null, null, 0, 0, false);
    }

    /** Loss (and gradient) of chunk {@code c} of the current step. */
    private void runChunk(int c) {
        Chunk chunk = chunks.get(c);
        chunk.lossSum = 0;
        chunk.correct = 0;
        if (step.withGradient) {
            chunk.grads.clear();
        }
        double scale = 1.0 / step.count;
        int end = RowChunks.start(step.count, step.chunks, c + 1);
        for (int from = RowChunks.start(step.count, step.chunks, c); from < end; from += BLOCK_ROWS) {
            int to = Math.min(end, from + BLOCK_ROWS);
            gather(step.x, step.rows, from, to, chunk.input);
            gather(step.y, step.rows, from, to, chunk.target);
            DMatrixRMaj out = network.forward(chunk.input, chunk.workspace);
            chunk.lossSum += loss.evaluate(out, chunk.target, scale, step.withGradient ? chunk.gradOut : null);
            if (step.withGradient) {
                network.backward(chunk.workspace, chunk.gradOut, chunk.grads, false);
            } else if (loss == Loss.CROSS_ENTROPY) {
                chunk.correct += Loss.correct(out, chunk.target);
            }
        }
    }

    /** The arguments of the step in progress, read by every chunk (fields, so no lambda is allocated per step). */
    private static final class Step {
        DMatrixRMaj x;
        DMatrixRMaj y;
        int[] rows;
        int count;
        int chunks;
        boolean withGradient;

        void set(DMatrixRMaj x, DMatrixRMaj y, int[] rows, int count, int chunks, boolean withGradient) {
            this.x = x;
            this.y = y;
            this.rows = rows;
            this.count = count;
            this.chunks = chunks;
            this.withGradient = withGradient;
        }
    }

    /** Copies rows {@code rows[from..to)} of {@code source} into {@code dest} (reshaped). */
    private static void gather(DMatrixRMaj source, int[] rows, int from, int to, DMatrixRMaj dest) {
        int cols = source.numCols;
        dest.reshape(to - from, cols, false);
        for (int i = from; i < to; i++) {
            System.arraycopy(source.data, rows[i] * cols, dest.data, (i - from) * cols, cols);
        }
    }
}
