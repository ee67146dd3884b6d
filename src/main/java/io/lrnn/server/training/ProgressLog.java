package io.lrnn.server.training;

import io.lrnn.engine.train.TrainingProgress;
import io.lrnn.engine.train.TrainingResult;
import io.lrnn.server.jobs.JobContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the trainer's reports into the job's {@code progress} and downsampled {@code history}
 * documents, written at most once a second (and at every epoch's end).
 */
final class ProgressLog {

    static final int MAX_HISTORY = 200;
    private static final long WRITE_EVERY_NANOS = 1_000_000_000L;

    private final JobContext context;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private int keepEvery = 1;
    private int seen;
    private long lastWrite;
    private Map<String, Object> latest;

    ProgressLog(JobContext context) {
        this.context = context;
    }

    void report(TrainingProgress p) {
        double elapsed = p.elapsed().toNanos() / 1e9;
        latest = new LinkedHashMap<>();
        latest.put("step", p.step());
        latest.put("totalSteps", p.totalSteps());
        latest.put("epoch", p.epoch());
        latest.put("trainLoss", finite(p.trainLoss()));
        latest.put("validationLoss", finite(p.validationLoss()));
        latest.put("validationAccuracy", finite(p.validationAccuracy()));
        latest.put("elapsedSeconds", elapsed);
        latest.put("etaSeconds", p.step() == 0 ? null : elapsed * (p.totalSteps() - p.step()) / p.step());
        if (seen++ % keepEvery == 0) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("step", p.step());
            point.put("trainLoss", finite(p.trainLoss()));
            point.put("validationLoss", finite(p.validationLoss()));
            history.add(point);
            if (history.size() > MAX_HISTORY) {
                // Keep every other point and sample half as often from now on.
                for (int i = history.size() - 1; i > 0; i -= 2) {
                    history.remove(i);
                }
                keepEvery *= 2;
            }
        }
        long now = System.nanoTime();
        if (p.hasValidation() || now - lastWrite > WRITE_EVERY_NANOS) {
            write();
            lastWrite = now;
        }
    }

    void finish(TrainingResult result) {
        if (latest != null) {
            latest.put("etaSeconds", 0.0);
            latest.put("stoppedEarly", result.stoppedEarly());
            write();
        }
    }

    private void write() {
        context.progress(TrainingJobHandler.JSON.writeValueAsString(latest),
                TrainingJobHandler.JSON.writeValueAsString(history));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
