package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.ServingFixtures;
import io.lrnn.server.TestModels;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops (as a crash would) for {@link #OUTAGE} while predictions flow and a training
 * job runs, then starts again. Predict runs from memory: every prediction succeeds (on a version
 * from the model directory and on one from the store, which the registry's sync keeps while the
 * store is away) and readiness stays UP throughout. The job and data-set APIs (and model changes) answer 503
 * {@code store-unavailable} with Retry-After, never 500, within the pool's connection timeout.
 * The job, which outlives the outage, then finishes SUCCEEDED on its first attempt with exactly
 * one new model version. The server is a private one this test starts and stops (initdb, pg_ctl).
 */
class DatabaseOutageTest {

    static final Duration OUTAGE = Duration.ofSeconds(12);
    /** lrnn.store.connection-timeout's default; a 503 may take that plus request overhead. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /**
     * What the bounds tell apart is the short pool timeout from Hikari's default 30 s; the slack
     * (6 s) is for pauses on a loaded machine, where the slowest of some 400 calls is measured.
     */
    static final Duration ANSWER_WITHIN = CONNECTION_TIMEOUT.plusSeconds(6);
    /** A model change may first wait for a registry sync that is itself waiting for the pool. */
    static final Duration MODEL_CHANGE_WITHIN = CONNECTION_TIMEOUT.multipliedBy(2).plusSeconds(6);
    /**
     * 80 000 steps of 32 rows: about 20 s of training on one core, and training goes on at full
     * speed while the database is down (progress is written off the training thread). If training
     * ends before the database is back, the job is still RUNNING while its final commit is retried.
     */
    static final int EPOCHS = 10_000;
    static final String MODEL = "survivor";
    static final String CSV = "x1,x2,y\n0.1,0.2,0.3\n0.4,0.5,0.9\n";

    @TempDir
    static Path models;

    @Test
    void predictionsAndReadinessRideOutADatabaseOutageAndTheJobFinishesOnce() throws Exception {
        Assumptions.assumeTrue(PrivatePostgres.missing().isEmpty(), () -> PrivatePostgres.missing().orElse(""));
        ServingFixtures.write(models, "good", "1", ServingFixtures.model(5));
        try (PrivatePostgres pg = PrivatePostgres.start();
             BackgroundApplication app = BackgroundApplication.start(List.of(), arguments(pg))) {
            HttpTestClient http = new HttpTestClient(app.port());
            app.context();
            StoreScenarios.await("ready", Duration.ofSeconds(30), () -> http.get("/readyz").status(), s -> s == 200);

            // A version that lives in the store (the sync must not drop it while the store is away),
            // next to one from the read-only model directory.
            HttpTestClient.Response uploaded = http.putMultipart("/api/v1/models/stored/versions/1",
                    Map.of("model", TestModels.json(ServingFixtures.model(6)),
                            "weights", TestModels.weights(ServingFixtures.model(6))));
            assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(201);
            String datasetId = uploadCsv(http).body().get("id").asString();
            String jobId = StoreScenarios.submit(http, MODEL, EPOCHS);
            StoreScenarios.awaitJob(http, jobId, "running with progress", Duration.ofSeconds(30),
                    StoreScenarios.runningWithProgress());

            try (Traffic traffic = new Traffic(http)) {
                Thread.sleep(500);
                pg.stopServer();
                long downAt = System.nanoTime();
                traffic.outage(true);
                // The health component is checked in the background: DOWN within a check, answered at once.
                JsonNode dbHealth = StoreScenarios.await("the db health component DOWN", Duration.ofSeconds(10),
                        () -> timed(() -> http.get("/actuator/health/db"), CONNECTION_TIMEOUT.minusMillis(250), "db health").body(),
                        health -> health.get("status").asString().equals("DOWN"));
                Map<String, List<String>> answers = new ConcurrentSkipListMap<>();
                Map<String, Long> slowest = new ConcurrentSkipListMap<>();
                List<Thread> callers = new ArrayList<>();
                probes(http, jobId, datasetId).forEach((call, probe) -> {
                    Thread caller = new Thread(() -> {
                        do {
                            long start = System.nanoTime();
                            HttpTestClient.Response response = probe.get();
                            slowest.merge(call, (System.nanoTime() - start) / 1_000_000, Math::max);
                            answers.computeIfAbsent(call, c -> new CopyOnWriteArrayList<>()).add(response.status() + " "
                                    + response.header("Retry-After").orElse("no Retry-After") + " " + typeOf(response));
                            Traffic.pause(200);
                        } while (System.nanoTime() - downAt < OUTAGE.toNanos());
                    }, "outage-probe-" + call);
                    caller.start();
                    callers.add(caller);
                });
                for (Thread caller : callers) {
                    caller.join();
                }
                HttpTestClient.Response healthAtEnd = http.get("/actuator/health/db");
                traffic.outage(false);
                pg.startServer();
                long upAt = System.nanoTime();
                long outageSeconds = (upAt - downAt) / 1_000_000_000;
                JsonNode afterOutage = StoreScenarios.job(http, jobId);

                StoreScenarios.await("the db health component UP again", Duration.ofSeconds(20),
                        () -> http.get("/actuator/health/db").body().get("status").asString(), "UP"::equals);
                JsonNode done = StoreScenarios.awaitJob(http, jobId, "succeeded after the outage",
                        Duration.ofSeconds(90), StoreScenarios.inState("SUCCEEDED"));
                traffic.close();

                // The figures this test measured, for docs/reliability.md (on stderr: tests print nothing to stdout).
                System.err.printf("[outage] %d s down: %d predictions during the outage, %d in all, %d failed; "
                                + "slowest 503 per call (ms) %s; store calls %d; readiness checks %d, not 200: %d; "
                                + "job done %d s after the restart%n", outageSeconds, traffic.duringOutage.get(), traffic.total.get(),
                        traffic.failures.size(), slowest,
                        answers.values().stream().mapToInt(List::size).sum(), traffic.readinessChecks.get(), traffic.notReady.size(),
                        (System.nanoTime() - upAt) / 1_000_000_000);

                assertThat(traffic.failures).as("failed predictions").isEmpty();
                assertThat(traffic.duringOutage.get()).as("predictions answered while the database was down")
                        .isGreaterThan(100);
                assertThat(traffic.notReady).as("readiness answers other than 200").isEmpty();
                assertThat(traffic.readinessChecks.get()).isGreaterThan(50);

                assertThat(dbHealth.get("status").asString()).as("db health during the outage: %s", dbHealth)
                        .isEqualTo("DOWN");
                assertThat(healthAtEnd.body().get("status").asString()).isEqualTo("DOWN");
                assertThat(answers).as("calls that need the store").hasSize(7);
                answers.forEach((call, seen) -> assertThat(seen).as(call + " during the outage")
                        .isNotEmpty().allSatisfy(answer -> assertThat(answer).isEqualTo("503 5 store-unavailable")));
                slowest.forEach((call, millis) -> assertThat(millis).as("slowest answer of " + call + ", ms")
                        .isLessThan(call.startsWith("PUT") ? MODEL_CHANGE_WITHIN.toMillis() : ANSWER_WITHIN.toMillis()));

                assertThat(afterOutage.get("state").asString()).as("not ended while the database was down").isEqualTo("RUNNING");
                assertThat(done.get("attempt").asInt()).as("run once: never re-claimed").isEqualTo(1);
                assertThat(done.get("result").get("version").asString()).isEqualTo("1");
                assertThat(done.hasNonNull("error")).isFalse();
            }
            assertThat(storedVersions(pg)).as("model versions of " + MODEL + " in the store").containsExactly("1");
            assertThat(http.postJson("/api/v1/models/" + MODEL + "/predict", HttpTestClient.instances(2)).status())
                    .isEqualTo(200);
            assertThat(uploadCsv(http).status()).as("data sets again").isEqualTo(201);
        }
    }

    private static String[] arguments(PrivatePostgres pg) {
        return new String[] {"--spring.datasource.url=" + pg.jdbcUrl(), "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--lrnn.models.directory=" + models,
                "--lrnn.jobs.workers=1", "--lrnn.jobs.threads-per-job=1",
                // Longer than the outage: a run stops itself when its lease could not be renewed for
                // a lease minus a heartbeat, so a lease shorter than the outage would mean a second run.
                "--lrnn.jobs.lease-duration=30s", "--lrnn.jobs.heartbeat-interval=1s",
                "--lrnn.jobs.poll-interval=200ms", "--lrnn.models.sync-interval=300ms",
                "--lrnn.store.connection-timeout=" + CONNECTION_TIMEOUT.toMillis() + "ms",
                "--lrnn.store.health-interval=500ms", "--spring.main.banner-mode=off"};
    }

    /** The calls that need the store, by name. */
    private static Map<String, Supplier<HttpTestClient.Response>> probes(HttpTestClient http, String jobId,
                                                                      String datasetId) {
        Map<String, Supplier<HttpTestClient.Response>> probes = new TreeMap<>();
        probes.put("GET job", () -> http.get("/api/v1/training-jobs/" + jobId));
        probes.put("GET jobs", () -> http.get("/api/v1/training-jobs"));
        probes.put("POST job", () -> http.postJson("/api/v1/training-jobs",
                StoreScenarios.trainingRequest("not-during-an-outage", 1)));
        probes.put("GET data set", () -> http.get("/api/v1/datasets/" + datasetId));
        probes.put("GET data sets", () -> http.get("/api/v1/datasets"));
        probes.put("POST data set", () -> uploadCsv(http));
        probes.put("PUT default version", () -> http.putJson("/api/v1/models/good/default-version",
                "{\"version\": \"1\"}"));
        return probes;
    }

    private static HttpTestClient.Response uploadCsv(HttpTestClient http) {
        return http.send(http.request("/api/v1/datasets?name=outage", "Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(CSV)));
    }

    private static String typeOf(HttpTestClient.Response response) {
        try {
            JsonNode type = response.body().get("type");
            return type == null ? "(no type)" : type.asString().replace("https://lrnn.io/problems/", "");
        } catch (RuntimeException e) {
            return "(not JSON)";
        }
    }

    private static HttpTestClient.Response timed(Supplier<HttpTestClient.Response> call, Duration within, String what) {
        long start = System.nanoTime();
        HttpTestClient.Response response = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what + " answered at once").isLessThan(within);
        return response;
    }

    private static List<String> storedVersions(PrivatePostgres pg) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl() + "?user=postgres");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT version FROM model_versions WHERE name = '" + MODEL + "' ORDER BY version")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    /** Predictions and readiness checks from threads of their own, counted. */
    private static final class Traffic implements AutoCloseable {
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger duringOutage = new AtomicInteger();
        final AtomicInteger readinessChecks = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> notReady = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean outage;
        private volatile boolean stopped;

        Traffic(HttpTestClient http) {
            threads.add(loop("predictions", () -> {
                int rows = 1 + total.get() % 4;
                String model = total.get() % 2 == 0 ? "good" : "stored";
                try {
                    HttpTestClient.Response response = http.postJson("/api/v1/models/" + model + "/predict",
                            HttpTestClient.instances(rows));
                    if (response.status() != 200 || response.body().get("predictions").size() != rows) {
                        failures.add(model + ": " + response.status() + " " + response.raw());
                    }
                } catch (RuntimeException e) {
                    failures.add(model + ": " + e);
                }
                total.incrementAndGet();
                if (outage) {
                    duringOutage.incrementAndGet();
                }
                pause(20);
            }));
            threads.add(loop("readiness", () -> {
                for (String path : new String[] {"/readyz", "/v2/health/ready"}) {
                    try {
                        int status = http.get(path).status();
                        if (status != 200) {
                            notReady.add(path + " " + status);
                        }
                    } catch (RuntimeException e) {
                        notReady.add(path + " " + e);
                    }
                }
                readinessChecks.incrementAndGet();
                pause(100);
            }));
        }

        void outage(boolean down) {
            outage = down;
        }

        private Thread loop(String name, Runnable step) {
            Thread thread = new Thread(() -> {
                while (!stopped) {
                    step.run();
                }
            }, "outage-" + name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }
}
