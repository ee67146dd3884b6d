package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/** The frames one stream sends for a sequence of job rows, byte for byte, without HTTP. */
class JobEventStreamTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final long SECOND = 1_000_000_000L;

    /** Records the frames instead of writing them; fails writes once {@link #gone} is set. */
    static final class RecordingEmitter extends SseEmitter {

        final List<String> frames = new ArrayList<>();
        boolean completed;
        boolean gone;

        @Override
        public void send(Set<DataWithMediaType> items) throws IOException {
            if (gone) {
                throw new IOException("Broken pipe");
            }
            for (DataWithMediaType item : items) {
                frames.add((String) item.getData());
            }
        }

        @Override
        public void complete() {
            completed = true;
        }
    }

    final RecordingEmitter emitter = new RecordingEmitter();
    final JobEventStream stream = new JobEventStream("job-1", emitter, JSON, 0);

    static Job job(JobState state, int attempt, Long step, String history, String version) {
        String progress = step == null ? null : "{\"step\":" + step + ",\"totalSteps\":100,\"trainLoss\":0.5}";
        return new Job("job-1", 1, state, "m", "ds-1", "{}", null, attempt, 3, false, null, null, progress, history,
                version, null, T, null, null);
    }

    @Test
    void aSnapshotThenEachLaterStepOnceThenTheEnd() {
        stream.start(job(JobState.QUEUED, 0, null, null, null), 1, null, 0);
        assertThat(emitter.frames).hasSize(1);
        assertThat(emitter.frames.get(0)).startsWith("event: snapshot\nid: 0\ndata: {\"id\":\"job-1\",\"state\":\"QUEUED\","
                + "\"modelName\":\"m\",\"datasetId\":\"ds-1\",\"attempt\":0,\"maxAttempts\":3,\"queuePosition\":1,")
                .endsWith("}\n\n");

        stream.update(job(JobState.RUNNING, 1, 10L, null, null), 1);
        stream.update(job(JobState.RUNNING, 1, 10L, null, null), 2);
        stream.update(job(JobState.SUCCEEDED, 1, 100L, null, "1"), 3);
        assertThat(emitter.frames.subList(1, 4)).containsExactly(
                "event: state\ndata: {\"state\":\"RUNNING\",\"attempt\":1}\n\n",
                "event: progress\nid: 10\ndata: {\"state\":\"RUNNING\",\"step\":10,\"totalSteps\":100,\"trainLoss\":0.5}\n\n",
                "event: progress\nid: 100\ndata: {\"state\":\"SUCCEEDED\",\"step\":100,\"totalSteps\":100,\"trainLoss\":0.5}\n\n");
        assertThat(emitter.frames.get(4)).startsWith("event: end\ndata: {\"id\":\"job-1\",\"state\":\"SUCCEEDED\",")
                .contains("\"result\":{\"modelName\":\"m\",\"version\":\"1\",").doesNotContain("queuePosition");
        assertThat(emitter.frames).hasSize(5);
        assertThat(emitter.completed).isTrue();

        stream.update(job(JobState.SUCCEEDED, 1, 100L, null, "1"), 4);
        assertThat(emitter.frames).as("nothing after the end").hasSize(5);
    }

    @Test
    void resumingSendsTheStoredHistoryAfterTheLastIdAndNoSnapshot() {
        String history = "[{\"step\":5,\"trainLoss\":0.9},{\"step\":10,\"trainLoss\":0.7},{\"step\":15,\"trainLoss\":0.6}]";
        stream.start(job(JobState.RUNNING, 1, 15L, history, null), 0, 10L, 0);
        assertThat(emitter.frames).containsExactly(
                "event: progress\nid: 15\ndata: {\"state\":\"RUNNING\",\"step\":15,\"trainLoss\":0.6}\n\n");
        stream.update(job(JobState.RUNNING, 1, 20L, history, null), 1);
        assertThat(emitter.frames).hasSize(2).last().asString().startsWith("event: progress\nid: 20\n");
    }

    @Test
    void aRetriedAttemptSaysSoAndSendsNoStepTwice() {
        stream.start(job(JobState.RUNNING, 1, 40L, null, null), 0, null, 0);
        stream.update(job(JobState.QUEUED, 1, 40L, null, null), 1);
        stream.update(job(JobState.RUNNING, 2, 20L, null, null), 2);
        stream.update(job(JobState.RUNNING, 2, 50L, null, null), 3);
        assertThat(emitter.frames.subList(1, emitter.frames.size())).extracting(f -> f.substring(0, f.indexOf("\ndata")))
                .containsExactly("event: state", "event: state", "event: progress\nid: 50");
        assertThat(emitter.frames.get(2)).contains("{\"state\":\"RUNNING\",\"attempt\":2}");
    }

    @Test
    void aKeepAliveOnlyAfterSilence() {
        stream.start(job(JobState.RUNNING, 1, 40L, null, null), 0, null, 0);
        stream.keepAlive(SECOND, 2 * SECOND);
        assertThat(emitter.frames).hasSize(1);
        stream.keepAlive(2 * SECOND, 2 * SECOND);
        assertThat(emitter.frames).hasSize(2).last().isEqualTo(": keep-alive\n\n");
        stream.update(job(JobState.RUNNING, 1, 41L, null, null), 3 * SECOND);
        stream.keepAlive(4 * SECOND, 2 * SECOND);
        assertThat(emitter.frames).as("the progress event counts as traffic").hasSize(3);
    }

    @Test
    void aClientThatLeftClosesTheStreamWithoutAnError() {
        stream.start(job(JobState.RUNNING, 1, 40L, null, null), 0, null, 0);
        emitter.gone = true;
        stream.update(job(JobState.RUNNING, 1, 41L, null, null), 1);
        assertThat(stream.isClosed()).isTrue();
        assertThat(stream.release()).isTrue();
        assertThat(stream.release()).as("the slot is given back once").isFalse();
    }
}
