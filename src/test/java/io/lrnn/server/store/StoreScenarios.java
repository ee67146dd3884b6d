package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What the multi-instance store tests share: the settings that make replicas react quickly, a
 * small regression training request with inline data, and waits that always have a deadline.
 */
final class StoreScenarios {

    /** Rows of the inline data set: y = sin(2 x1) + x1 x2 on [-1, 1]^2. */
    static final int ROWS = 256;

    private StoreScenarios() {
    }

    /**
     * Arguments for one replica on {@code db}'s schema with {@code workers} job workers: quick
     * heartbeat, polling and registry sync, a short lease, one thread per job, no model directory.
     */
    static List<String> replicaArguments(PostgresTestDatabase db, Path emptyModels, int workers, Duration lease) {
        List<String> args = new ArrayList<>(db.springArguments());
        args.addAll(List.of("--lrnn.jobs.workers=" + workers, "--lrnn.jobs.threads-per-job=1",
                "--lrnn.jobs.lease-duration=" + lease.toMillis() + "ms", "--lrnn.jobs.heartbeat-interval=300ms",
                "--lrnn.jobs.poll-interval=200ms", "--lrnn.models.sync-interval=300ms",
                "--lrnn.models.directory=" + emptyModels, "--spring.main.banner-mode=off"));
        return args;
    }

    static BackgroundApplication start(List<String> arguments) {
        return BackgroundApplication.start(List.of(), arguments.toArray(String[]::new));
    }

    /**
     * A training request for {@code model}: one LRNN layer of width 8 on the inline data, no
     * validation split (so progress is written about once a second) and {@code epochs} epochs of
     * 8 steps each.
     */
    static String trainingRequest(String model, int epochs) {
        Random random = new Random(7);
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < ROWS; r++) {
            double x1 = random.nextDouble() * 2 - 1;
            double x2 = random.nextDouble() * 2 - 1;
            rows.append(r == 0 ? "" : ",").append('[').append(x1).append(',').append(x2).append(',')
                    .append(Math.sin(2 * x1) + x1 * x2).append(']');
        }
        return "{\"modelName\": \"" + model + "\", \"task\": \"regression\", \"targets\": [\"y\"], "
                + "\"data\": {\"columns\": [\"x1\", \"x2\", \"y\"], \"rows\": [" + rows + "]}, "
                + "\"architecture\": {\"layers\": [{\"type\": \"lrnn\", \"width\": 8, \"projection\": 2, "
                + "\"hidden\": 4}]}, "
                + "\"training\": {\"epochs\": " + epochs + ", \"batchSize\": 32, \"learningRate\": 0.003, "
                + "\"validationSplit\": 0.0, \"earlyStoppingPatience\": 0, \"seed\": 11}}";
    }

    /** Submits a training job; returns its id. */
    static String submit(HttpTestClient client, String model, int epochs) {
        HttpTestClient.Response response = client.postJson("/api/v1/training-jobs", trainingRequest(model, epochs));
        assertThat(response.status()).as(response.raw()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    static JsonNode job(HttpTestClient client, String id) {
        HttpTestClient.Response response = client.get("/api/v1/training-jobs/" + id);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    /** Waits until the job, read through {@code client}, matches {@code condition}; returns that view. */
    static JsonNode awaitJob(HttpTestClient client, String id, String what, Duration timeout,
                             Predicate<JsonNode> condition) throws InterruptedException {
        return await(what + " (job " + id + ")", timeout, () -> job(client, id), condition);
    }

    static Predicate<JsonNode> inState(String state) {
        return job -> job.get("state").asString().equals(state);
    }

    /** Running and past its first progress write. */
    static Predicate<JsonNode> runningWithProgress() {
        return job -> job.get("state").asString().equals("RUNNING") && job.hasNonNull("progress")
                && job.get("progress").get("step").asLong() > 0;
    }

    /**
     * Polls {@code read} every 50 ms until {@code condition} holds; fails naming {@code what} and the
     * last value read once {@code timeout} has passed.
     */
    static <T> T await(String what, Duration timeout, Supplier<T> read, Predicate<T> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = read.get();
            if (condition.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what + "; last seen: " + value);
            }
            Thread.sleep(50);
        }
    }
}
