package io.lrnn.server.store;

import static io.lrnn.server.store.StoreScenarios.awaitJob;
import static io.lrnn.server.store.StoreScenarios.inState;
import static io.lrnn.server.store.StoreScenarios.runningWithProgress;
import static io.lrnn.server.store.StoreScenarios.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default under an ordinary restart: a server on its default H2 file (the URL of
 * application.yaml, in a working directory of its own) is stopped with SIGTERM while it trains.
 * Spring, not H2's own shutdown hook, closes the database, after the job worker has handed the
 * job back: the stopped server leaves it QUEUED with no attempt counted, and the restarted server
 * runs it at once to SUCCEEDED as attempt 1, with exactly one model version. Were the database
 * closed first, the job would stay RUNNING under the dead lease and come back as attempt 2.
 */
class SigtermRestartTest {

    /** About 16 000 steps of 32 rows: several seconds at C1 speed, so SIGTERM finds it running. */
    static final int EPOCHS = 2000;
    /** The default lease (30 s): only the release, not an expiry, can explain a quick restart. */
    static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    @TempDir
    Path home;

    Process server;

    @AfterEach
    void killServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void aJobRunningAtSigtermIsHandedBackAndFinishedAfterTheRestartAsAttemptOne() throws Exception {
        Path models = Files.createDirectories(home.resolve("models"));
        List<String> arguments = List.of("--lrnn.models.directory=" + models, "--lrnn.jobs.threads-per-job=1",
                "--spring.main.banner-mode=off");
        Path firstLog = home.resolve("first.log");
        Path secondLog = home.resolve("second.log");
        try {
            server = ServerProcess.start(home, firstLog, arguments);
            HttpTestClient first = new HttpTestClient(ServerProcess.awaitReady(server, firstLog,
                    Duration.ofSeconds(90)));
            String id = submit(first, "restarted", EPOCHS);
            awaitJob(first, id, "running with progress", Duration.ofSeconds(30), runningWithProgress());

            long stopping = System.nanoTime();
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stopped").isTrue();
            Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
            assertThat(server.exitValue()).as("ended by SIGTERM").isEqualTo(128 + 15);
            assertThat(stopTook).as("the stop did not wait for the job to end").isLessThan(DEFAULT_LEASE);
            String stopped = Files.readString(firstLog);
            assertThat(stopped).contains("Job " + id + " handed back to the queue at shutdown");
            // With H2's own hook the database closes under the draining server: the hand-back then
            // fails (and only a retry on a re-opened file can save it).
            assertThat(stopped).as("no store write failed during the stop").doesNotContain("Database is already closed")
                    .doesNotContain(" failed (try ");

            // The store as the stopped server left it, read from its file.
            try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/lrnn")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE",
                    "sa", "");
                 PreparedStatement query = h2.prepareStatement(
                         "SELECT state, attempt, lease_owner FROM training_jobs WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1) + "#" + row.getInt(2) + "@" + row.getString(3))
                            .as("state#attempt@owner after the stop").isEqualTo("QUEUED#0@null");
                }
            }

            server = ServerProcess.start(home, secondLog, arguments);
            HttpTestClient second = new HttpTestClient(ServerProcess.awaitReady(server, secondLog,
                    Duration.ofSeconds(90)));
            JsonNode done = awaitJob(second, id, "finished after the restart", Duration.ofSeconds(60),
                    inState("SUCCEEDED"));
            assertThat(done.get("attempt").asInt()).as("the stop did not count an attempt").isEqualTo(1);
            assertThat(done.get("result").get("version").asString()).isEqualTo("1");
            JsonNode model = second.get("/api/v1/models/restarted").body();
            assertThat(model.get("versions")).as("exactly one new model version: %s", model).hasSize(1);
            assertThat(second.postJson("/api/v1/models/restarted/predict", "{\"instances\": [[0.2, 0.4]]}").status())
                    .isEqualTo(200);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- first server (tail) ---\n" + ServerProcess.tail(firstLog)
                    + "\n--- second server (tail) ---\n" + ServerProcess.tail(secondLog), e);
        }
    }
}
