package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.train.TrainingProgress;
import io.lrnn.engine.train.TrainingResult;
import io.lrnn.server.common.Json;
import io.lrnn.server.jobs.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProgressLogTest {

    /** Keeps what the log writes. */
    static final class Recorder implements JobContext {
        final List<String> progress = new ArrayList<>();
        String history;

        @Override
        public StopReason stopReason() {
            return StopReason.NONE;
        }

        @Override
        public void progress(String progress, String history) {
            this.progress.add(progress);
            this.history = history;
        }

        @Override
        public boolean succeed(Supplier<String> resultVersion, Consumer<String> inSameTransaction) {
            return false;
        }
    }

    static TrainingProgress report(long step, long total, double validationLoss) {
        return new TrainingProgress(step, total, (int) (step / 10) + 1, 1.0 / step, validationLoss, Double.NaN,
                Duration.ofMillis(step));
    }

    @Test
    void historyStaysEvenlySampledWithinTheMaximumAndEndsWithTheLastStep() {
        Recorder context = new Recorder();
        ProgressLog log = new ProgressLog(context);
        int reports = 1003;
        for (int step = 1; step <= reports; step++) {
            log.report(report(step, reports, step % 10 == 0 ? 2.0 / step : Double.NaN));
        }
        log.finish(new TrainingResult(null, List.of(), reports, false, Double.NaN));

        JsonNode history = Json.MAPPER.readTree(context.history);
        assertThat(history.size()).isBetween(100, ProgressLog.MAX_HISTORY);
        List<Long> steps = new ArrayList<>();
        history.forEach(point -> steps.add(point.get("step").asLong()));
        assertThat(steps.get(0)).isEqualTo(1);
        assertThat(steps.get(steps.size() - 1)).isEqualTo(reports);
        long spacing = steps.get(1) - steps.get(0);
        for (int i = 1; i < steps.size() - 1; i++) {
            assertThat(steps.get(i) - steps.get(i - 1)).as("spacing before point %d", i).isEqualTo(spacing);
        }
        assertThat(history.get(history.size() - 1).get("trainLoss").asDouble()).isEqualTo(1.0 / reports);
    }

    @Test
    void progressIsWrittenAtTheStartAndEndNotAtEveryReportAndKeepsTheLastValidationLoss() {
        Recorder context = new Recorder();
        ProgressLog log = new ProgressLog(context);
        for (int step = 1; step <= 500; step++) {
            log.report(report(step, 500, step % 10 == 0 ? 2.0 / step : Double.NaN));
        }
        log.finish(new TrainingResult(null, List.of(), 500, true, 0.004));

        assertThat(context.progress.size()).as("writes of a run well under a second").isBetween(2, 3);
        JsonNode last = Json.MAPPER.readTree(context.progress.get(context.progress.size() - 1));
        assertThat(last.get("step").asLong()).isEqualTo(500);
        assertThat(last.get("totalSteps").asLong()).isEqualTo(500);
        assertThat(last.get("validationLoss").asDouble()).isEqualTo(2.0 / 500);
        assertThat(last.get("etaSeconds").asDouble()).isZero();
        assertThat(last.get("stoppedEarly").asBoolean()).isTrue();
        assertThat(last.get("validationAccuracy").isNull()).as("regression has no accuracy").isTrue();

        Recorder midway = new Recorder();
        ProgressLog partial = new ProgressLog(midway);
        partial.report(report(10, 500, 0.2));
        partial.report(report(11, 500, Double.NaN));
        partial.finish(new TrainingResult(null, List.of(), 11, false, 0.2));
        JsonNode carried = Json.MAPPER.readTree(midway.progress.get(midway.progress.size() - 1));
        assertThat(carried.get("step").asLong()).isEqualTo(11);
        assertThat(carried.get("validationLoss").asDouble()).as("carried forward from step 10").isEqualTo(0.2);
    }
}
