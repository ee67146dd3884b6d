package io.lrnn.server.training;

import io.lrnn.server.common.Json;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.datasets.DatasetService;
import io.lrnn.server.jobs.Job;
import io.lrnn.server.jobs.JobQueue;
import io.lrnn.server.models.ModelNames;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/** Checks a training request completely before it is queued, so a job never starts doomed. */
@Service
public class TrainingJobService {

    private final JobQueue queue;
    private final DatasetService datasets;
    private final LrnnProperties.Jobs settings;
    private final TransactionOperations transactions;

    public TrainingJobService(JobQueue queue, DatasetService datasets, LrnnProperties properties,
                              TransactionOperations transactions) {
        this.queue = queue;
        this.datasets = datasets;
        this.settings = properties.jobs();
        this.transactions = transactions;
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
            TrainingPlan.resolve(request, datasets.get(request.datasetId()), settings); // fails before any lock
            return queue(request, request.datasetId(), idempotencyKey, digest);
        }
        String name = ModelNames.isValid(request.modelName()) ? "inline data for " + request.modelName() : "inline data";
        DatasetService.Prepared data = datasets.prepare(name, request.data());
        TrainingPlan.resolve(request, data.dataset(), settings);
        datasets.insert(data);
        JobQueue.Submitted submitted = null;
        try {
            submitted = queue(request, data.dataset().id(), idempotencyKey, digest);
            return submitted;
        } finally {
            if (submitted == null || !submitted.created()) {
                datasets.discard(data.dataset().id()); // a retry or a full queue: the copy is not needed
            }
        }
    }

    /**
     * Queues the job in one transaction with its data set's row locked, so that a delete of the
     * data set waits and then sees the job (409), or the submit sees the data set gone (404).
     * The plan is resolved again under the lock: the data set it names is the one it checks.
     */
    private JobQueue.Submitted queue(TrainingRequest request, String datasetId, String idempotencyKey, String digest) {
        try {
            return transactions.execute(status -> {
                TrainingPlan plan = TrainingPlan.resolve(request, datasets.lockForUse(datasetId), settings);
                return queue.submit(plan.modelName(), plan.datasetId(), Json.MAPPER.writeValueAsString(plan.resolved()),
                        idempotencyKey, digest);
            });
        } catch (DataAccessException e) {
            // Two submits with one key at once: the loser's insert failed inside this transaction
            // (which PostgreSQL then refuses to continue); answer with the winner's job.
            return queue.earlier(idempotencyKey, digest).orElseThrow(() -> e);
        }
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
