package io.lrnn.server.training;

import io.lrnn.engine.train.TrainingProgress;
import io.lrnn.engine.train.TrainingResult;
import io.lrnn.server.common.Json;
import io.lrnn.server.jobs.JobContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the trainer's reports into the job's {@code progress} and downsampled {@code history}
 * documents, written at most once a second and at the end. Progress carries the latest
 * validation values forward (they come at epoch ends only); history ends with the final step.
 */
final class ProgressLog {

    static final int MAX_HISTORY = 200;
    private static final long WRITE_EVERY_NANOS = 1_000_000_000L;

    private final JobContext context;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private int keepEvery = 1;
    private int seen;
    private boolean written;
    private long lastWrite;
    private double validationLoss = Double.NaN;
    private double validationAccuracy = Double.NaN;
    private Map<String, Object> latest;
    private Map<String, Object> latestPoint;

    ProgressLog(JobContext context) {
        this.context = context;
    }

    void report(TrainingProgress p) {
        if (p.hasValidation()) {
            validationLoss = p.validationLoss();
            validationAccuracy = p.validationAccuracy();
        }
        double elapsed = p.elapsed().toNanos() / 1e9;
        latest = new LinkedHashMap<>();
        latest.put("step", p.step());
        latest.put("totalSteps", p.totalSteps());
        latest.put("epoch", p.epoch());
        latest.put("trainLoss", finite(p.trainLoss()));
        latest.put("validationLoss", finite(validationLoss));
        latest.put("validationAccuracy", finite(validationAccuracy));
        latest.put("elapsedSeconds", elapsed);
        latest.put("etaSeconds", p.step() == 0 ? null : elapsed * (p.totalSteps() - p.step()) / p.step());
        latestPoint = new LinkedHashMap<>();
        latestPoint.put("step", p.step());
        latestPoint.put("trainLoss", finite(p.trainLoss()));
        latestPoint.put("validationLoss", finite(p.validationLoss()));
        if (seen++ % keepEvery == 0) {
            keep(latestPoint);
        }
        long now = System.nanoTime();
        if (!written || now - lastWrite >= WRITE_EVERY_NANOS) {
            write();
            written = true;
            lastWrite = now;
        }
    }

    void finish(TrainingResult result) {
        if (latest != null) {
            if (history.get(history.size() - 1) != latestPoint) {
                keep(latestPoint);
            }
            latest.put("etaSeconds", 0.0);
            latest.put("stoppedEarly", result.stoppedEarly());
            write();
        }
    }

    /** Adds a point; past the maximum, keeps every other one and samples half as often from now on. */
    private void keep(Map<String, Object> point) {
        history.add(point);
        if (history.size() > MAX_HISTORY) {
            List<Map<String, Object>> kept = new ArrayList<>();
            for (int i = 0; i < history.size(); i += 2) {
                kept.add(history.get(i));
            }
            history.clear();
            history.addAll(kept);
            keepEvery *= 2;
        }
    }

    private void write() {
        context.progress(Json.MAPPER.writeValueAsString(latest),
                Json.MAPPER.writeValueAsString(history));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
