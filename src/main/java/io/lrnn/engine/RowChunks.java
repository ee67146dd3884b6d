package io.lrnn.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

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

    /** Runs {@code task} for every chunk index, on {@code pool}'s threads when given, else in this thread. */
    public static void run(int chunks, ForkJoinPool pool, IntConsumer task) {
        if (pool == null || chunks == 1 || pool.getParallelism() == 1) {
            for (int c = 0; c < chunks; c++) {
                task.accept(c);
            }
        } else {
            pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(task)).join();
        }
    }
}
