package io.lrnn.server.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lrnn.server.common.Json;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobState;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A training job as the API shows it (SERVICE.md: the status resource). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TrainingJobView(String id, JobState state, String modelName, String datasetId, int attempt,
                       int maxAttempts, Long queuePosition, boolean cancelRequested, Instant createdAt,
                       Instant startedAt, Instant finishedAt, JsonNode progress, JsonNode history, Result result,
                       String error, JsonNode request) {

    /** The model version a successful job created. */
    record Result(String modelName, String version, String predict) {
    }

    static TrainingJobView of(Job job, long queuePosition, boolean withDetails) {
        Result result = job.resultVersion() == null ? null : new Result(job.modelName(), job.resultVersion(),
                "/api/v1/models/" + job.modelName() + "/versions/" + job.resultVersion() + "/predict");
        return new TrainingJobView(job.id(), job.state(), job.modelName(), job.datasetId(), job.attempt(),
                job.maxAttempts(), job.state() == JobState.QUEUED ? queuePosition : null, job.cancelRequested(),
                job.createdAt(), job.startedAt(), job.finishedAt(), json(job.progress()),
                withDetails ? json(job.history()) : null, result, job.error(),
                withDetails ? json(job.request()) : null);
    }

    private static JsonNode json(String document) {
        return document == null ? null : Json.MAPPER.readTree(document);
    }
}
