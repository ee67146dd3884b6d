package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.BackgroundApplication;
import io.lrnn.server.store.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job events across replicas on one PostgreSQL schema: {@code trainer} runs the job, {@code server}
 * has no workers and streams what the store records; a replica that shuts down completes its
 * streams at once, and the client resumes on another with Last-Event-ID; a stream ends after its
 * maximum duration, and the client resumes after the last step it received.
 */
class JobEventsTwoReplicasTest {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    static Path emptyModels;

    static BackgroundApplication trainerApp;
    static BackgroundApplication serverApp;
    static TrainingApi server;
    static String dataset;

    static BackgroundApplication replica(int workers, String... extra) {
        List<String> args = new ArrayList<>(DB.springArguments());
        args.addAll(List.of("--lrnn.jobs.workers=" + workers, "--lrnn.jobs.threads-per-job=1",
                "--lrnn.jobs.heartbeat-interval=300ms", "--lrnn.jobs.poll-interval=200ms",
                "--lrnn.training.events.poll-interval=100ms", "--lrnn.models.directory=" + emptyModels,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        return BackgroundApplication.start(List.of(), args.toArray(String[]::new));
    }

    @BeforeAll
    static void startReplicas() throws Exception {
        trainerApp = replica(1);
        serverApp = replica(0);
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> ready(trainerApp)),
                CompletableFuture.runAsync(() -> ready(serverApp))).join();
        server = new TrainingApi(serverApp.port());
        dataset = server.datasetId("replicas", TrainingApi.productsCsv(TrainingApi.products(500, 5)));
    }

    @AfterAll
    static void stopReplicas() {
        for (BackgroundApplication app : new BackgroundApplication[] {trainerApp, serverApp}) {
            if (app != null) {
                app.close();
            }
        }
    }

    static String submit(String model, int epochs) {
        return server.submitted(JobEventsEndToEndTest.request(model, dataset, epochs));
    }

    static EventStreamReader stream(BackgroundApplication app, String id, String... headers) throws Exception {
        return EventStreamReader.open(app.port(), TrainingApi.JOBS + "/" + id + "/events", headers);
    }

    @Test
    void aReplicaWithoutWorkersStreamsTheJobAnotherRunsToItsEnd() throws Exception {
        String id = submit("elsewhere", JobEventsEndToEndTest.EPOCHS);
        List<EventStreamReader.Frame> fromServer;
        List<EventStreamReader.Frame> fromTrainer;
        try (EventStreamReader onServer = stream(serverApp, id); EventStreamReader onTrainer = stream(trainerApp, id)) {
            assertThat(onServer.nextEvent(SOON).event()).isEqualTo("snapshot");
            assertThat(onTrainer.nextEvent(SOON).event()).isEqualTo("snapshot");
            fromServer = onServer.eventsUntilEnd(DEADLINE);
            fromTrainer = onTrainer.eventsUntilEnd(DEADLINE);
        }
        List<Long> steps = fromServer.stream().filter(f -> f.event().equals("progress"))
                .map(EventStreamReader.Frame::step).toList();
        assertThat(steps.size()).as("progress read from the store: %s", fromServer).isGreaterThanOrEqualTo(3);
        assertThat(steps).isSorted().doesNotHaveDuplicates();
        long total = JobEventsEndToEndTest.EPOCHS * 50L;
        assertThat(steps.get(steps.size() - 1)).isEqualTo(total);
        EventStreamReader.Frame end = fromServer.get(fromServer.size() - 1);
        assertThat(end.json().get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(end.json().get("result").get("version").asString()).isEqualTo("1");
        assertThat(end.json()).as("both replicas end with the same job")
                .isEqualTo(fromTrainer.get(fromTrainer.size() - 1).json());
        assertThat(fromTrainer.stream().filter(f -> f.event().equals("progress")).map(EventStreamReader.Frame::step)
                .toList()).isSorted().doesNotHaveDuplicates().endsWith(total);
    }

    @Test
    void aReplicaThatStopsCompletesItsStreamsAndTheClientResumesOnAnother() throws Exception {
        BackgroundApplication leaving = replica(0);
        ready(leaving);
        String id = submit("resumed", 10_000);
        EventStreamReader.Frame last;
        try (EventStreamReader reader = stream(leaving, id)) {
            assertThat(reader.nextEvent(SOON).event()).isEqualTo("snapshot");
            do {
                last = reader.nextEvent(DEADLINE);
            } while (!last.event().equals("progress"));
            long started = System.nanoTime();
            CompletableFuture<Void> closed = CompletableFuture.runAsync(leaving::close);
            EventStreamReader.Frame frame;
            do {
                frame = reader.nextEvent(SOON);
                last = frame.event().equals("progress") ? frame : last;
            } while (frame != EventStreamReader.CLOSED);
            closed.join();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("shutdown does not wait for the stream")
                    .isLessThan(Duration.ofSeconds(20));
        }
        long after = last.step();
        try (EventStreamReader resumed = stream(trainerApp, id, "Last-Event-ID", Long.toString(after))) {
            EventStreamReader.Frame next = resumed.nextEvent(DEADLINE);
            assertThat(next.event()).isEqualTo("progress");
            assertThat(next.step()).isGreaterThan(after);
            assertThat(server.cancel(id).status()).isEqualTo(200);
            List<EventStreamReader.Frame> rest = resumed.eventsUntilEnd(DEADLINE);
            assertThat(rest.get(rest.size() - 1).json().get("state").asString()).isEqualTo("CANCELLED");
            assertThat(rest).filteredOn(f -> f.event().equals("progress"))
                    .allSatisfy(f -> assertThat(f.step()).isGreaterThan(next.step()));
        }
    }

    @Test
    void aStreamEndsAfterItsMaxDurationAndTheClientResumesAfterItsLastStep() throws Exception {
        BackgroundApplication brief = replica(0, "--lrnn.training.events.max-duration=2s");
        ready(brief);
        String id = submit("brief", 10_000);
        try {
            List<EventStreamReader.Frame> frames = new ArrayList<>();
            long opened = System.nanoTime();
            try (EventStreamReader reader = stream(brief, id)) {
                for (EventStreamReader.Frame frame = reader.nextEvent(SOON); frame != EventStreamReader.CLOSED;
                     frame = reader.nextEvent(SOON)) {
                    frames.add(frame);
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("open for its max duration")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(frames.get(0).event()).isEqualTo("snapshot");
            assertThat(frames).extracting(EventStreamReader.Frame::event).doesNotContain("end");
            long after = frames.stream().filter(f -> f.id() != null).mapToLong(EventStreamReader.Frame::step)
                    .max().orElseThrow();
            try (EventStreamReader resumed = stream(brief, id, "Last-Event-ID", Long.toString(after))) {
                EventStreamReader.Frame next = resumed.nextEvent(SOON);
                while (!next.event().equals("progress")) {
                    assertThat(next.event()).as("%s", next).isEqualTo("state");
                    next = resumed.nextEvent(SOON);
                }
                assertThat(next.step()).isGreaterThan(after);
            }
        } finally {
            server.cancel(id);
            brief.close();
        }
    }

    private static void ready(BackgroundApplication app) {
        try {
            app.context();
        } catch (Exception e) {
            throw new IllegalStateException("a replica did not start", e);
        }
    }
}
