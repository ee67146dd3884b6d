package io.lrnn.server.jobs;

import static io.lrnn.server.PrometheusSamples.parse;
import static io.lrnn.server.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.PrometheusSamples.Sample;
import io.lrnn.server.HttpTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job and queue meters over real HTTP, after real jobs: a dead replica's expired, cancelled
 * claim (reaped), a long job seen running and then cancelled, and a short job that succeeds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.jobs.workers=1", "lrnn.jobs.threads-per-job=1", "lrnn.jobs.poll-interval=100ms",
        "lrnn.jobs.heartbeat-interval=200ms"})
class JobMetricsEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void jobsByStateQueueDepthRunningDurationsAttemptsAndReapedLeasesAreScraped() throws Exception {
        HttpTestClient http = new HttpTestClient(port);
        // A replica died holding a job whose cancellation was asked: the reaper cancels it.
        JdbcClient.create(dataSource).sql("INSERT INTO training_jobs (id, state, model_name, request, attempt, "
                + "max_attempts, cancel_requested, lease_owner, lease_expires_at, created_at) VALUES ('job-dead', "
                + "'RUNNING', 'gone', '{}', 1, 3, TRUE, 'dead/w0/x', CURRENT_TIMESTAMP - INTERVAL '1' MINUTE, "
                + "CURRENT_TIMESTAMP)").update();

        String longJob = submit(http, "long", 100_000);
        await(http, "the long job counted as running", s -> value(s, "lrnn_jobs", Map.of("state", "running")) == 1
                && value(s, "lrnn_jobs", Map.of("state", "cancelled")) == 1);
        List<Sample> running = scrape(http);
        assertThat(value(running, "lrnn_jobs_replica_running", Map.of())).isEqualTo(1);
        assertThat(value(running, "lrnn_jobs_queue_depth", Map.of())).isZero();
        assertThat(value(running, "lrnn_jobs_reaped_total", Map.of("outcome", "cancelled"))).isEqualTo(1);
        assertThat(value(running, "lrnn_jobs_reaped_total", Map.of("outcome", "requeued"))).isZero();

        assertThat(http.postJson("/api/v1/training-jobs/" + longJob + "/cancel", "").status()).isEqualTo(200);
        submit(http, "short", 2);
        List<Sample> done = await(http, "the short job counted as succeeded",
                s -> value(s, "lrnn_jobs", Map.of("state", "succeeded")) == 1
                        && value(s, "lrnn_jobs_duration_seconds_count", Map.of("outcome", "succeeded")) == 1);

        assertThat(value(done, "lrnn_jobs", Map.of("state", "cancelled"))).isEqualTo(2);
        assertThat(value(done, "lrnn_jobs", Map.of("state", "running"))).isZero();
        assertThat(value(done, "lrnn_jobs", Map.of("state", "queued"))).isZero();
        assertThat(value(done, "lrnn_jobs", Map.of("state", "failed"))).isZero();
        assertThat(value(done, "lrnn_jobs_queue_depth", Map.of())).isZero();
        assertThat(value(done, "lrnn_jobs_replica_running", Map.of())).isZero();
        assertThat(value(done, "lrnn_jobs_duration_seconds_count", Map.of("outcome", "cancelled"))).isEqualTo(1);
        assertThat(value(done, "lrnn_jobs_duration_seconds_count", Map.of("outcome", "failed"))).isZero();
        assertThat(value(done, "lrnn_jobs_duration_seconds_sum", Map.of("outcome", "succeeded"))).isPositive();
        assertThat(value(done, "lrnn_jobs_duration_seconds_bucket", Map.of("outcome", "succeeded", "le", "+Inf")))
                .isEqualTo(1);
        assertThat(value(done, "lrnn_jobs_attempts_count", Map.of())).as("the cancelled and the succeeded job")
                .isEqualTo(2);
        assertThat(value(done, "lrnn_jobs_attempts_sum", Map.of())).as("one attempt each").isEqualTo(2);
        assertThat(value(done, "lrnn_jobs_attempts_bucket", Map.of("le", "1.0"))).isEqualTo(2);
        assertThat(value(done, "lrnn_jobs_reaped_total", Map.of("outcome", "cancelled"))).isEqualTo(1);
    }

    private static String submit(HttpTestClient http, String model, int epochs) {
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 64; r++) {
            double x = r / 32.0 - 1;
            rows.append(r == 0 ? "" : ",").append('[').append(x).append(',').append(Math.sin(3 * x)).append(']');
        }
        HttpTestClient.Response response = http.postJson("/api/v1/training-jobs", "{\"modelName\": \"" + model
                + "\", \"task\": \"regression\", \"targets\": [\"y\"], \"data\": {\"columns\": [\"x\", \"y\"], "
                + "\"rows\": [" + rows + "]}, \"architecture\": {\"layers\": [{\"type\": \"lrnn\", \"width\": 4, "
                + "\"projection\": 2, \"hidden\": 2}]}, \"training\": {\"epochs\": " + epochs + ", \"batchSize\": 16, "
                + "\"validationSplit\": 0.0, \"seed\": 3}}");
        assertThat(response.status()).as(response.raw()).isEqualTo(202);
        return response.body().get("id").asString();
    }

    private static List<Sample> await(HttpTestClient http, String what, Predicate<List<Sample>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Sample> samples = scrape(http);
            if (condition.test(samples)) {
                return samples;
            }
            assertThat(System.nanoTime()).as("waited %s for %s", WAIT, what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<Sample> scrape(HttpTestClient http) {
        HttpTestClient.Response scrape = http.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        return parse(scrape.raw());
    }
}
