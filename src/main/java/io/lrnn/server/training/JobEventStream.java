package io.lrnn.server.training;

import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One client's event stream of one job: what it was sent last (step and state), and the frames
 * that bring it up to date with the job row as the store has it. Written to by one thread at a
 * time: the request thread until the stream is handed to {@link JobEvents}, then its poller.
 */
final class JobEventStream {

    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final String jobId;
    private final SseEmitter emitter;
    private final JsonMapper json;
    private final long openedAt;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private long lastStep;
    private JobState lastState;
    private long lastSentAt;

    JobEventStream(String jobId, SseEmitter emitter, JsonMapper json, long now) {
        this.jobId = jobId;
        this.emitter = emitter;
        this.json = json;
        this.openedAt = now;
        this.lastSentAt = now;
    }

    String jobId() {
        return jobId;
    }

    long openedAt() {
        return openedAt;
    }

    /**
     * The first frames: without {@code lastEventId} a snapshot of the job; with it, the stored
     * history points after that step. Then whatever {@link #update} adds (the end, for a final job).
     */
    void start(Job job, long queuePosition, Long lastEventId, long now) {
        lastState = job.state();
        if (lastEventId == null) {
            lastStep = step(progress(job));
            send("snapshot", lastStep, json.valueToTree(TrainingJobView.of(job, queuePosition, true)), now);
        } else {
            lastStep = lastEventId;
            JsonNode history = job.history() == null ? null : json.readTree(job.history());
            if (history != null) {
                for (JsonNode point : history) {
                    long step = point.path("step").asLong(-1);
                    if (step > lastStep) {
                        lastStep = step;
                        send("progress", step, withState(job.state(), point), now);
                    }
                }
            }
        }
        update(job, now);
    }

    /** Sends what changed since the last frame: the state, a later step, and the end of a final job. */
    void update(Job job, long now) {
        if (job.state() != lastState && !job.state().isFinal()) {
            lastState = job.state();
            ObjectNode state = json.createObjectNode().put("state", job.state().name()).put("attempt", job.attempt());
            send("state", null, state, now);
        }
        JsonNode progress = progress(job);
        long step = step(progress);
        if (step > lastStep) {
            lastStep = step;
            send("progress", step, withState(job.state(), progress), now);
        }
        if (job.state().isFinal()) {
            send("end", null, json.valueToTree(TrainingJobView.of(job, 0, true)), now);
            complete();
        }
    }

    /** A comment, when nothing was sent for {@code interval} nanoseconds. */
    void keepAlive(long now, long interval) {
        if (now - lastSentAt >= interval) {
            write(": keep-alive\n\n", now);
        }
    }

    /** Stops writing to the stream. */
    void close() {
        closed.set(true);
    }

    /** Whether this call is the first to give the stream's connection slot back. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Ends the response; the client may resume with the last id it received. */
    void complete() {
        if (closed.compareAndSet(false, true)) {
            emitter.complete();
        }
    }

    private void send(String event, Long id, JsonNode data, long now) {
        StringBuilder frame = new StringBuilder("event: ").append(event).append('\n');
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        frame.append("data: ").append(json.writeValueAsString(data)).append("\n\n");
        write(frame.toString(), now);
    }

    /** A frame as is; a client gone (or a completed stream) closes the stream without an error. */
    private void write(String frame, long now) {
        if (isClosed()) {
            return;
        }
        try {
            emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(frame, TEXT)));
            lastSentAt = now;
        } catch (IOException | IllegalStateException gone) {
            close();
        }
    }

    private ObjectNode withState(JobState state, JsonNode fields) {
        ObjectNode data = json.createObjectNode().put("state", state.name());
        if (fields instanceof ObjectNode object) {
            data.setAll(object);
        }
        return data;
    }

    private JsonNode progress(Job job) {
        return job.progress() == null ? null : json.readTree(job.progress());
    }

    /** The step of a progress document; 0 before the first report. */
    private static long step(JsonNode progress) {
        return progress == null ? 0 : progress.path("step").asLong(0);
    }
}
