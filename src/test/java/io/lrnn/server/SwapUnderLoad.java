package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Callers that keep calling while a test swaps versions; no answer may fail or come from no whole version. */
public final class SwapUnderLoad {

    /** One call by caller {@code caller}: whether its answer is right (a thrown exception counts as wrong). */
    @FunctionalInterface
    public interface Call {
        boolean call(int caller) throws Exception;
    }

    /** What the test does meanwhile: uploads, default changes. */
    @FunctionalInterface
    public interface Swaps {
        void run() throws Exception;
    }

    private SwapUnderLoad() {
    }

    /** Runs {@code callers} threads of {@code call} while {@code swaps} runs; asserts no wrong answer and some right ones. */
    public static void run(int callers, Call call, Swaps swaps) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int caller = t;
            results.add(pool.submit(() -> {
                int ok = 0;
                int bad = 0;
                while (running.get()) {
                    boolean right;
                    try {
                        right = call.call(caller);
                    } catch (Exception e) {
                        right = false;
                    }
                    ok += right ? 1 : 0;
                    bad += right ? 0 : 1;
                }
                return new int[] {ok, bad};
            }));
        }
        try {
            swaps.run();
        } finally {
            running.set(false);
        }
        int ok = 0;
        for (Future<int[]> result : results) {
            int[] counts = result.get(30, TimeUnit.SECONDS);
            assertThat(counts[1]).as("failed or mixed answers").isZero();
            ok += counts[0];
        }
        pool.shutdown();
        assertThat(ok).isGreaterThan(30);
    }
}
