package io.lrnn.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * A fixed partition of a batch's rows into contiguous chunks, which depends on the row count
 * only, never on the number of threads: results summed chunk by chunk in order are therefore
 * bit-identical however many cores run the chunks.
 */
public final class RowChunks {

    /** At most this many chunks, so per-chunk gradient buffers stay few. */
    public static final int MAX_CHUNKS = 8;
    /** Below this many rows per chunk, splitting costs more than it saves. */
    public static final int MIN_ROWS_PER_CHUNK = 128;

    private RowChunks() {
    }

    /** Number of chunks for {@code rows} rows. */
    public static int count(int rows) {
        return Math.max(1, Math.min(MAX_CHUNKS, (rows + MIN_ROWS_PER_CHUNK - 1) / MIN_ROWS_PER_CHUNK));
    }

    /** First row of chunk {@code chunk} out of {@code chunks}; chunk {@code chunks} gives {@code rows}. */
    public static int start(int rows, int chunks, int chunk) {
        return (int) ((long) rows * chunk / chunks);
    }

    /**
     * Runs a body for every chunk of a batch, on a pool's threads when given, else in the calling
     * thread. Its fork-join tasks are made once and reused, so that a training loop that calls
     * {@link #run} every step with the same body allocates nothing per step. One run at a time.
     */
    public static final class Runner {

        private final ForkJoinPool pool;
        private final Chunk[] tasks = new Chunk[MAX_CHUNKS];
        private final Root root = new Root();
        private IntConsumer body;
        private int chunks;

        /** {@code pool} may be null: every chunk then runs in the calling thread. */
        public Runner(ForkJoinPool pool) {
            this.pool = pool;
        }

        /** Runs {@code body} for chunks 0 to {@code chunks} - 1 and returns when all have finished. */
        public void run(int chunks, IntConsumer body) {
            if (pool == null || chunks == 1 || pool.getParallelism() == 1) {
                for (int c = 0; c < chunks; c++) {
                    body.accept(c);
                }
                return;
            }
            this.body = body;
            this.chunks = chunks;
            try {
                root.reinitialize();
                pool.invoke(root);
            } finally {
                this.body = null;
            }
        }

        /** Forks chunks 1.. and runs chunk 0 itself, then joins the others. */
        private final class Root extends RecursiveAction {
            @Override
            protected void compute() {
                for (int c = 1; c < chunks; c++) {
                    if (tasks[c] == null) {
                        tasks[c] = new Chunk(c);
                    }
                    tasks[c].reinitialize();
                    tasks[c].fork();
                }
                body.accept(0);
                for (int c = chunks - 1; c >= 1; c--) {
                    tasks[c].join();
                }
            }
        }

        private final class Chunk extends RecursiveAction {
            private final int index;

            Chunk(int index) {
                this.index = index;
            }

            @Override
            protected void compute() {
                body.accept(index);
            }
        }
    }
}
