package io.lrnn.server.jobs;

import io.lrnn.server.config.LrnnProperties;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one public face of the jobs package: submits, finds, lists and cancels jobs, and claims
 * them for this replica's workers, atomically across replicas.
 */
@Service
public class JobQueue {

    /** Room left in {@code lease_owner} (128) for a worker index and a claim token. */
    private static final int MAX_REPLICA_ID = 100;

    private final JobRepository jobs;
    private final TransactionTemplate transactions;
    private final LrnnProperties.Jobs settings;
    private final String replicaId;

    JobQueue(JobRepository jobs, TransactionTemplate transactions, LrnnProperties properties) {
        this.jobs = jobs;
        this.transactions = transactions;
        this.settings = properties.jobs();
        String process = ManagementFactory.getRuntimeMXBean().getName();
        String suffix = "/" + UUID.randomUUID().toString().substring(0, 8);
        this.replicaId = process.substring(0, Math.min(process.length(), MAX_REPLICA_ID - suffix.length())) + suffix;
    }

    /**
     * This replica's identity ({@code pid@host/random}); every claim its workers make is held
     * under {@code <replicaId>/w<worker>/<claim token>}.
     */
    public String replicaId() {
        return replicaId;
    }

    /** The result of a submit: the job, and whether it was created now (false: an idempotent retry). */
    public record Submitted(Job job, boolean created) {
    }

    /**
     * The job submitted earlier with {@code idempotencyKey}, if any.
     *
     * @throws IdempotencyKeyReusedException if that job came from another request (another digest)
     */
    public Optional<Submitted> earlier(String idempotencyKey, String requestDigest) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return jobs.findByIdempotencyKey(idempotencyKey).map(job -> {
            if (!Objects.equals(jobs.requestDigest(job.id()).orElse(null), requestDigest)) {
                throw new IdempotencyKeyReusedException(idempotencyKey, job.id());
            }
            return new Submitted(job, false);
        });
    }

    /**
     * Queues a job, or returns the job submitted earlier with the same idempotency key and request
     * ({@code requestDigest} identifies the request as the client sent it).
     *
     * @throws QueueFullException            when lrnn.jobs.max-queued jobs are already waiting
     * @throws IdempotencyKeyReusedException when the key came with another request before
     */
    public Submitted submit(String modelName, String datasetId, String request, String idempotencyKey,
                            String requestDigest) {
        Optional<Submitted> earlier = earlier(idempotencyKey, requestDigest);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        long queued = jobs.count(JobState.QUEUED);
        if (queued >= settings.maxQueued()) {
            throw new QueueFullException((int) queued, (int) settings.retryAfter().toSeconds());
        }
        String id = "job-" + UUID.randomUUID();
        Job job = new Job(id, 0, JobState.QUEUED, modelName, datasetId, request, idempotencyKey, 0,
                settings.maxAttempts(), false, null, null, null, null, null, null, null, null, null);
        try {
            jobs.insert(job, requestDigest);
        } catch (DuplicateKeyException raced) {
            // Two submits with one key at once: the other one won; answer with its job.
            return earlier(idempotencyKey, requestDigest).orElseThrow(() -> raced);
        }
        return new Submitted(get(id), true);
    }

    public Job get(String id) {
        return jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** Jobs newest first, optionally only those in {@code state}. */
    public List<Job> list(JobState state, int offset, int limit) {
        return jobs.list(state, offset, limit);
    }

    /** 1 for the next job to run; 0 when the job is not queued. */
    public long queuePosition(Job job) {
        return jobs.queuePosition(job);
    }

    /** A queued or running job that reads data set {@code datasetId}, if any. */
    public Optional<String> activeJobUsing(String datasetId) {
        return jobs.activeJobUsing(datasetId);
    }

    /** Cancels a queued job at once; asks a running one to stop at its next step. Final jobs stay as they are. */
    public Job cancel(String id) {
        // A job can move between QUEUED and RUNNING while we ask (claimed, released, re-queued):
        // ask again until one of the two conditional updates lands or the job is final.
        for (int tries = 0; tries < 10; tries++) {
            Job job = get(id);
            if (job.state().isFinal() || jobs.cancelQueued(id) || jobs.requestCancel(id)) {
                break;
            }
        }
        return get(id);
    }

    /** Claims the oldest queued job for {@code claim} under a fresh lease, if there is one. */
    Optional<Job> claim(String claim) {
        return transactions.execute(status -> {
            Optional<String> next = jobs.lockNextQueued();
            if (next.isEmpty() || !jobs.markRunning(next.get(), claim, settings.leaseDuration())) {
                return Optional.<Job>empty();
            }
            return jobs.find(next.get());
        });
    }

    boolean renewLease(String id, String claim) {
        return jobs.renewLease(id, claim, settings.leaseDuration());
    }

    /** Re-queues, fails or cancels jobs whose lease expired. */
    Reaped reapExpired() {
        return jobs.reapExpired();
    }

    JobRepository repository() {
        return jobs;
    }

    TransactionTemplate transactions() {
        return transactions;
    }

    LrnnProperties.Jobs settings() {
        return settings;
    }
}
