package io.lrnn.server.training;

import io.lrnn.server.common.Json;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.datasets.DatasetService;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.models.ModelNames;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Checks a training request completely before it is queued, so a job never starts doomed. */
@Service
public class TrainingJobService {

    private final JobQueue queue;
    private final DatasetService datasets;
    private final int threads;

    public TrainingJobService(JobQueue queue, DatasetService datasets, LrnnProperties properties) {
        this.queue = queue;
        this.datasets = datasets;
        this.threads = properties.jobs().threadsPerJob();
    }

    /**
     * Queues the request. Inline {@code data} is stored as a data set only when the request is valid
     * and a new job is queued for it. A retry with the same idempotency key returns the first job
     * and queues nothing.
     */
    public JobQueue.Submitted submit(TrainingRequest request, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new InvalidRequestException("Idempotency-Key", "1 to 200 characters", idempotencyKey.length());
        }
        if (request == null) {
            throw new InvalidRequestException("request body", "a training request", "none");
        }
        String digest = digest(request);
        // A retry answers with the first job before anything is checked again or stored.
        Optional<JobQueue.Submitted> retry = queue.earlier(idempotencyKey, digest);
        if (retry.isPresent()) {
            return retry.get();
        }
        boolean inline = request.data() != null && !request.data().isNull();
        if (inline == (request.datasetId() != null)) {
            throw new InvalidRequestException("datasetId", "either datasetId or inline data (not both)",
                    inline ? "both" : "neither");
        }
        if (!inline) {
            return queue(TrainingPlan.resolve(request, datasets.get(request.datasetId()), threads), idempotencyKey,
                    digest);
        }
        String name = ModelNames.isValid(request.modelName()) ? "inline data for " + request.modelName() : "inline data";
        DatasetService.Prepared data = datasets.prepare(name, request.data());
        TrainingPlan plan = TrainingPlan.resolve(request, data.dataset(), threads);
        datasets.insert(data);
        JobQueue.Submitted submitted = null;
        try {
            submitted = queue(plan, idempotencyKey, digest);
            return submitted;
        } finally {
            if (submitted == null || !submitted.created()) {
                datasets.discard(data.dataset().id()); // a retry or a full queue: the copy is not needed
            }
        }
    }

    private JobQueue.Submitted queue(TrainingPlan plan, String idempotencyKey, String digest) {
        return queue.submit(plan.modelName(), plan.datasetId(),
                Json.MAPPER.writeValueAsString(plan.resolved()), idempotencyKey, digest);
    }

    /** SHA-256 of the request as the client sent it (record order: the same request, the same digest). */
    static String digest(TrainingRequest request) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Json.MAPPER.writeValueAsBytes(request));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Job get(String id) {
        return queue.get(id);
    }
}
