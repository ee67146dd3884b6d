package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The live job events over real HTTP, read as raw text/event-stream: a snapshot, progress in
 * step order while a job trains, the end with the version; resuming with Last-Event-ID; a
 * finished job; the API key, unknown jobs, a bad Last-Event-ID and the connection cap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.security.api-key=" + JobEventsEndToEndTest.KEY, "lrnn.jobs.workers=1", "lrnn.jobs.threads-per-job=1",
        "lrnn.jobs.heartbeat-interval=200ms", "lrnn.jobs.poll-interval=200ms",
        "lrnn.training.events.poll-interval=100ms", "lrnn.training.events.heartbeat-interval=300ms",
        "lrnn.training.events.max-connections=4", "lrnn.training.events.retry-after=3s"})
class JobEventsEndToEndTest {

    static final String KEY = "events-test-key";
    static final String[] AUTH = {"Authorization", "Bearer " + KEY};
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final Duration SOON = Duration.ofSeconds(10);
    /** Epochs of 50 steps of the streamed job: seconds of training even on an idle machine (80 took 0.9 s there), so several progress writes. */
    static final int EPOCHS = 400;

    @LocalServerPort
    int port;

    @Autowired
    JobEvents events;

    TrainingApi api;
    String dataset;

    @BeforeEach
    void setUp() {
        api = new TrainingApi(port, AUTH);
        dataset = api.datasetId("events", TrainingApi.productsCsv(TrainingApi.products(500, 5)));
    }

    /**
     * A regression job on the 500-row data set {@code datasetId} of {@code epochs} epochs of 50 steps,
     * a fifth of the rows for validation, no early stop.
     */
    static String request(String model, String datasetId, int epochs) {
        return "{\"modelName\": \"" + model + "\", \"datasetId\": \"" + datasetId + "\", \"targets\": [\"y\"], "
                + "\"task\": \"regression\", \"training\": {\"epochs\": " + epochs + ", \"batchSize\": 8, "
                + "\"learningRate\": 0.003, \"validationSplit\": 0.2, \"earlyStoppingPatience\": 0, \"seed\": 3}}";
    }

    String submit(String model, int epochs) {
        return api.submitted(request(model, dataset, epochs));
    }

    EventStreamReader stream(String id, String... headers) throws Exception {
        String[] all = new String[AUTH.length + headers.length];
        System.arraycopy(AUTH, 0, all, 0, AUTH.length);
        System.arraycopy(headers, 0, all, AUTH.length, headers.length);
        return EventStreamReader.open(port, TrainingApi.JOBS + "/" + id + "/events", all);
    }

    @Test
    void progressArrivesInStepOrderWhileAJobTrainsAndTheStreamEndsWithTheVersion() throws Exception {
        String id = submit("streamed", EPOCHS);
        List<EventStreamReader.Frame> frames;
        try (EventStreamReader reader = stream(id)) {
            assertThat(reader.status()).isEqualTo(200);
            assertThat(reader.header("Content-Type")).startsWith("text/event-stream");
            assertThat(reader.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(reader.header("X-Accel-Buffering")).isEqualTo("no");
            EventStreamReader.Frame snapshot = reader.nextEvent(SOON);
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(snapshot.json().get("id").asString()).isEqualTo(id);
            assertThat(snapshot.json().get("state").asString()).isIn("QUEUED", "RUNNING");
            assertThat(snapshot.json().has("request")).as("the job as GET shows it, with details").isTrue();
            assertThat(snapshot.step()).isEqualTo(snapshot.json().path("progress").path("step").asLong(0));
            frames = reader.eventsUntilEnd(DEADLINE);
        }
        List<EventStreamReader.Frame> progress = frames.stream().filter(f -> f.event().equals("progress")).toList();
        assertThat(progress.size()).as("a progress event per write, about one a second: %s", frames)
                .isGreaterThanOrEqualTo(3);
        long previous = -1;
        for (EventStreamReader.Frame frame : progress) {
            JsonNode data = frame.json();
            assertThat(frame.step()).as("steps strictly increase").isGreaterThan(previous);
            previous = frame.step();
            assertThat(data.get("step").asLong()).isEqualTo(frame.step());
            // The state as read with the progress: the last write may be read with the final state.
            assertThat(data.get("state").asString()).isIn("RUNNING", frame == progress.get(progress.size() - 1)
                    ? "SUCCEEDED" : "RUNNING");
            assertThat(data.get("totalSteps").asLong()).isEqualTo(EPOCHS * 50);
            assertThat(data.get("trainLoss").isNumber()).as("%s", data).isTrue();
            assertThat(data.has("elapsedSeconds")).isTrue();
            assertThat(data.has("etaSeconds")).isTrue();
        }
        assertThat(previous).as("the last progress event is the final step").isEqualTo(EPOCHS * 50);
        assertThat(progress.get(progress.size() - 1).json().get("validationLoss").isNumber()).isTrue();
        EventStreamReader.Frame end = frames.get(frames.size() - 1);
        assertThat(end.json().get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(end.json().get("result").get("modelName").asString()).isEqualTo("streamed");
        assertThat(end.json().get("result").get("version").asString()).isEqualTo("1");
        assertThat(end.json()).as("the end is the job as GET shows it").isEqualTo(api.job(id));
        assertThat(frames).filteredOn(f -> f.event().equals("snapshot")).isEmpty();

        // Resuming after a middle step: only the stored history after it, then the end at once.
        long after = progress.get(progress.size() / 2).step();
        List<Long> stored = new ArrayList<>();
        api.job(id).get("history").forEach(point -> stored.add(point.get("step").asLong()));
        try (EventStreamReader resumed = stream(id, "Last-Event-ID", Long.toString(after))) {
            List<EventStreamReader.Frame> replay = resumed.eventsUntilEnd(SOON);
            assertThat(replay.get(replay.size() - 1).event()).isEqualTo("end");
            List<EventStreamReader.Frame> points = replay.subList(0, replay.size() - 1);
            assertThat(points).allSatisfy(f -> assertThat(f.event()).isEqualTo("progress"));
            assertThat(points.stream().map(EventStreamReader.Frame::step).toList())
                    .isEqualTo(stored.stream().filter(step -> step > after).toList()).isNotEmpty();
            assertThat(points.get(0).json().get("trainLoss").isNumber()).isTrue();
        }

        // A finished job: its snapshot, then its end at once.
        try (EventStreamReader again = stream(id)) {
            List<EventStreamReader.Frame> done = again.eventsUntilEnd(SOON);
            assertThat(done).extracting(EventStreamReader.Frame::event).containsExactly("snapshot", "end");
            assertThat(done.get(0).step()).isEqualTo(EPOCHS * 50);
            assertThat(done.get(0).json().get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(done.get(1).json()).isEqualTo(end.json());
        }
    }

    @Test
    void streamsAreCappedKeptAliveAndEndedWhenTheJobIsCancelled() throws Exception {
        String id = submit("capped", 10_000);
        api.awaitState(id, DEADLINE, "RUNNING");
        List<EventStreamReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                EventStreamReader reader = stream(id);
                open.add(reader);
                assertThat(reader.status()).isEqualTo(200);
                assertThat(reader.nextEvent(SOON).event()).isEqualTo("snapshot");
            }
            assertThat(events.openStreams()).isEqualTo(4);
            assertThat(api.http.get("/actuator/prometheus").raw()).contains("\nlrnn_training_events_streams 4.0\n");
            try (EventStreamReader refused = stream(id)) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("3");
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.body()).contains("lrnn.training.events.max-connections");
            }
            EventStreamReader first = open.get(0);
            EventStreamReader.Frame frame;
            do {
                frame = first.next(SOON);
            } while (!frame.event().equals(":"));
            assertThat(frame.data()).isEqualTo("keep-alive");

            assertThat(api.cancel(id).status()).isEqualTo(200);
            for (EventStreamReader reader : open) {
                List<EventStreamReader.Frame> rest = reader.eventsUntilEnd(DEADLINE);
                assertThat(rest.get(rest.size() - 1).json().get("state").asString()).isEqualTo("CANCELLED");
            }
        } finally {
            open.forEach(EventStreamReader::close);
        }
        awaitNoStreams();
    }

    /** Waits until every stream is closed (a client that leaves is noticed at the next write). */
    void awaitNoStreams() throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (events.openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(events.openStreams()).as("every slot given back").isZero();
    }

    @Test
    void aMissingOrWrongKeyIsRefused() throws Exception {
        String path = TrainingApi.JOBS + "/job-x/events";
        try (EventStreamReader none = EventStreamReader.open(port, path)) {
            assertThat(none.status()).isEqualTo(401);
        }
        try (EventStreamReader wrong = EventStreamReader.open(port, path, "Authorization", "Bearer nope")) {
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void anUnknownJobIsNotFoundBeforeAnyStream() throws Exception {
        try (EventStreamReader reader = stream("job-unknown")) {
            assertThat(reader.status()).isEqualTo(404);
            assertThat(reader.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reader.body()).contains("job-unknown");
        }
    }

    @Test
    void aLastEventIdThatIsNoStepIsABadRequest() throws Exception {
        String id = api.submitted("{\"modelName\": \"bad-id\", \"datasetId\": \"" + dataset + "\", "
                + "\"targets\": [\"y\"], \"task\": \"regression\", \"training\": {\"epochs\": 1}}");
        try (EventStreamReader reader = stream(id, "Last-Event-ID", "-3")) {
            assertThat(reader.status()).isEqualTo(400);
            assertThat(reader.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reader.body()).contains("Last-Event-ID: expected a step");
        }
    }
}
