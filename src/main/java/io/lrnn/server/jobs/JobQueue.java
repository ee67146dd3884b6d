package io.lrnn.server.jobs;

import io.lrnn.server.config.LrnnProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Submits, finds and cancels jobs, and claims them for workers, atomically across replicas. */
@Service
public class JobQueue {

    private final JobRepository jobs;
    private final TransactionTemplate transactions;
    private final LrnnProperties.Jobs settings;
    private final Clock clock;

    public JobQueue(JobRepository jobs, TransactionTemplate transactions, LrnnProperties properties, Clock clock) {
        this.jobs = jobs;
        this.transactions = transactions;
        this.settings = properties.jobs();
        this.clock = clock;
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
                settings.maxAttempts(), false, null, null, null, null, null, null, clock.instant(), null, null);
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

    /** Cancels a queued job at once; asks a running one to stop at its next step. Final jobs stay as they are. */
    public Job cancel(String id) {
        // A job can move between QUEUED and RUNNING while we ask (claimed, released, re-queued):
        // ask again until one of the two conditional updates lands or the job is final.
        for (int tries = 0; tries < 10; tries++) {
            Job job = get(id);
            if (job.state().isFinal() || jobs.cancelQueued(id, clock.instant()) || jobs.requestCancel(id)) {
                break;
            }
        }
        return get(id);
    }

    /** Claims the oldest queued job for {@code owner} under a fresh lease, if there is one. */
    Optional<Job> claim(String owner) {
        return transactions.execute(status -> {
            Optional<String> next = jobs.lockNextQueued();
            if (next.isEmpty()) {
                return Optional.<Job>empty();
            }
            Instant now = clock.instant();
            if (!jobs.markRunning(next.get(), owner, now, now.plus(settings.leaseDuration()))) {
                return Optional.<Job>empty();
            }
            return jobs.find(next.get());
        });
    }

    boolean renewLease(String id, String owner) {
        return jobs.renewLease(id, owner, clock.instant().plus(settings.leaseDuration()));
    }

    /** Re-queues, fails or cancels jobs whose lease expired; returns how many of each. */
    int[] reapExpired() {
        return jobs.reapExpired(clock.instant());
    }
}
