package io.lrnn.server.jobs;

import java.time.Instant;

/**
 * A job row. {@code request}, {@code progress} and {@code history} are JSON documents owned by the
 * feature that runs the job.
 */
public record Job(String id, long seq, JobState state, String modelName, String datasetId, String request,
                  String idempotencyKey, int attempt, int maxAttempts, boolean cancelRequested, String leaseOwner,
                  Instant leaseExpiresAt, String progress, String history, String resultVersion, String error,
                  Instant createdAt, Instant startedAt, Instant finishedAt) {
}
