package io.lrnn.bench;

import io.lrnn.engine.Network;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.train.Adam;
import io.lrnn.engine.train.BatchPass;
import io.lrnn.engine.train.Loss;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import org.ejml.data.DMatrixRMaj;

/**
 * Memory of full-batch training steps on the reference configuration, in a JVM of its own (so
 * that its peak resident set is the training's): prints one JSON object with the process's peak
 * resident set ({@code VmHWM}), its resident set before the first step (JVM, data and network
 * built) and the heap the training state keeps (workspaces, gradients, Adam moments). bench/engine.sh
 * runs it next to {@code tools/python/bench_reference.py --memory}, which measures PyTorch the same way.
 *
 * <pre>./mvnw -B -q -Pbench exec:exec -Dbench.main=io.lrnn.bench.TrainingMemory -Dbench.jvm="-XX:+UseSerialGC -Xmx256m" -Djmh.args=""</pre>
 */
public final class TrainingMemory {

    private static final int STEPS = 3;

    private TrainingMemory() {
    }

    public static void main(String[] args) throws IOException {
        DMatrixRMaj[] data = ReferenceProblem.data(ReferenceProblem.BATCH);
        int[] rows = ReferenceProblem.allRows(ReferenceProblem.BATCH);
        Network network = Network.initialize(ReferenceProblem.spec(), 1);
        long heapBefore = EngineScaling.usedHeapAfterGc();
        double rssBefore = procStatusMib("VmRSS");

        ForkJoinPool pool = new ForkJoinPool(2);
        BatchPass pass = new BatchPass(network, Loss.MSE, pool);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        Adam adam = new Adam(network.parameters(), 0);
        long start = System.nanoTime();
        double loss = 0;
        for (int step = 0; step < STEPS; step++) {
            loss = pass.lossAndGradient(data[0], data[1], rows, rows.length, grads);
            adam.step(grads, 1e-3);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / STEPS;
        long state = EngineScaling.usedHeapAfterGc() - heapBefore;
        pool.shutdown();
        System.out.printf("{\"steps\": %d, \"seconds_per_step\": %.4f, \"loss\": %.6g, \"peak_rss_mib\": %.1f, "
                        + "\"rss_before_training_mib\": %.1f, \"training_state_mib\": %.2f, \"max_heap_mib\": %.0f, "
                        + "\"gc\": \"%s\"}%n",
                STEPS, seconds, loss, procStatusMib("VmHWM"), rssBefore, state / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        // The training state must still be reachable when it is measured.
        Reference.reachabilityFence(pass);
        Reference.reachabilityFence(grads);
        Reference.reachabilityFence(adam);
    }

    /** A memory line of /proc/self/status (kB) in MiB. */
    static double procStatusMib(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
