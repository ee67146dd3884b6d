package io.lrnn.server.jobs;

import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.jobs.JobMetrics.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This replica's workers: {@code lrnn.jobs.workers} threads that claim queued jobs and run them
 * with the {@link JobHandler}, a heartbeat that renews each claim's lease and notices
 * cancellation, and a reaper that re-queues jobs whose replica died.
 *
 * <p>Every claim holds the job under an owner of its own ({@code <replica>/w<worker>/<token>}),
 * so a job re-queued and claimed again, here or elsewhere, is a different claim: the earlier run
 * can no longer renew, report or finish it. A run stops itself ({@code LEASE_LOST}) once its
 * lease could not be renewed for a lease minus a heartbeat, before the lease can expire and
 * another claim begin; a second claim of a job on this replica waits until the earlier run
 * here has ended. On shutdown running jobs are stopped and released without counting the
 * attempt, so another replica takes them.
 */
@Component
class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    /** How long a stopping replica keeps trying to hand a job back through a store blip. */
    private static final Duration RELEASE_BUDGET = Duration.ofSeconds(5);

    private final JobQueue queue;
    private final JobRepository jobs;
    private final JobHandler handler;
    private final JobMetrics metrics;
    private final TransactionTemplate transactions;
    private final LrnnProperties.Jobs settings;
    /** Running claims, by claim (never by job id: a job can be claimed twice here, see above). */
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService heartbeat;
    private ScheduledExecutorService counts;
    private ExecutorService progressWriter;
    private volatile CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean started;

    JobWorkers(JobQueue queue, JobHandler handler, JobMetrics metrics) {
        this.queue = queue;
        this.jobs = queue.repository();
        this.handler = handler;
        this.metrics = metrics;
        this.transactions = queue.transactions();
        this.settings = queue.settings();
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        stopping = false;
        stopSignal = new CountDownLatch(1);
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("lrnn-job-heartbeat"));
        long interval = settings.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
        // Its own thread: a slow count query must not delay the lease renewals.
        counts = Executors.newSingleThreadScheduledExecutor(daemon("lrnn-job-metrics"));
        counts.scheduleWithFixedDelay(metrics::refresh, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        // Progress is written off the training threads: a store that is slow or away must not stall training.
        progressWriter = Executors.newSingleThreadExecutor(daemon("lrnn-job-progress"));
        for (int i = 0; i < settings.workers(); i++) {
            int index = i;
            Thread thread = new Thread(() -> work(index), "lrnn-job-worker-" + i);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Asks running jobs to stop, waits (up to a lease) for their workers to hand them back to the
     * queue, then stops the heartbeat, which renews the leases until then. Runs before the data
     * source closes (it is a bean the workers depend on), so the hand-back can still be written.
     */
    @Override
    public synchronized void stop() {
        if (!started) {
            return;
        }
        stopping = true;
        stopSignal.countDown();
        running.values().forEach(r -> r.stop(JobContext.StopReason.SHUTDOWN));
        // No interrupts: an interrupt during H2's file I/O can close the database file under it.
        for (Thread thread : threads) {
            try {
                thread.join(settings.leaseDuration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        heartbeat.shutdownNow();
        counts.shutdownNow();
        progressWriter.shutdownNow();
        started = false;
    }

    /**
     * Also true without worker threads ({@code lrnn.jobs.workers=0}): the heartbeat still reaps,
     * and must be stopped.
     */
    @Override
    public boolean isRunning() {
        return started;
    }

    /** Stops before the web server, so in-flight requests still find the store. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    private void work(int index) {
        String worker = queue.replicaId() + "/w" + index + "/";
        while (!stopping) {
            try {
                String claim = worker + UUID.randomUUID().toString().substring(0, 8);
                long sent = System.nanoTime();
                Optional<Job> job = queue.claim(claim);
                if (job.isPresent()) {
                    run(job.get(), claim, sent);
                } else {
                    pause();
                }
            } catch (RuntimeException e) {
                log.warn("Job worker: {}", e.toString());
                pause();
            }
        }
    }

    private void run(Job job, String claim, long claimSent) {
        Running context = new Running(job.id(), claim, claimSent);
        running.put(claim, context);
        if (stopping) {
            // Claimed while stop() was telling the running jobs to stop: hand this one back too.
            context.stop(JobContext.StopReason.SHUTDOWN);
        }
        try {
            metrics.run(() -> runClaimed(job, context));
        } finally {
            running.remove(claim);
            context.ended.countDown();
        }
    }

    private Outcome runClaimed(Job job, Running context) {
        try {
            awaitEarlierRuns(context);
            if (context.stopReason() != JobContext.StopReason.NONE) {
                throw new IllegalStateException("stopped before it started");
            }
            log.info("Running job {} (attempt {} of {}) as {}", job.id(), job.attempt(), job.maxAttempts(),
                    context.claim);
            handler.run(job, context);
            if (context.finished) {
                metrics.ended(job.attempt());
                return Outcome.SUCCEEDED;
            }
            return fail(job, context, "the job ended without a result");
        } catch (Throwable e) {
            // Errors too (a stack overflow in a deep network, say): the job fails, the worker lives on.
            return switch (context.stopReason()) {
                case CANCELLED -> {
                    if (finish(job, context, JobState.CANCELLED, null)) {
                        metrics.ended(job.attempt());
                    }
                    yield Outcome.CANCELLED;
                }
                case SHUTDOWN -> {
                    boolean released = TransientErrors.retry("Releasing job " + job.id(),
                            TransientErrors.within(RELEASE_BUDGET),
                            () -> jobs.release(job.id(), context.claim));
                    log.info("Job {} {} at shutdown", job.id(), released ? "handed back to the queue"
                            : "not handed back (no longer held)");
                    yield Outcome.RELEASED;
                }
                case LEASE_LOST -> {
                    log.warn("Job {}: run {} stopped, its lease was lost", job.id(), context.claim);
                    yield Outcome.LEASE_LOST;
                }
                case NONE -> fail(job, context, e.getMessage() != null ? e.getMessage() : e.toString());
            };
        }
    }

    private Outcome fail(Job job, Running context, String error) {
        if (finish(job, context, JobState.FAILED, error)) {
            metrics.ended(job.attempt());
            log.info("Job {} failed: {}", job.id(), error);
        }
        return Outcome.FAILED;
    }

    /** Ends the job, retrying through a store blip while the claim's lease certainly holds. */
    private boolean finish(Job job, Running context, JobState state, String error) {
        context.writeProgress();
        return TransientErrors.retry("Ending job " + job.id(), () -> context.stopBy,
                () -> jobs.finish(job.id(), context.claim, state, null, error));
    }

    /**
     * Waits until no earlier claim of the same job still runs on this replica (its lease was
     * reaped while it ran, and this claim got the job): the two would otherwise run at once.
     */
    private void awaitEarlierRuns(Running context) throws InterruptedException {
        for (Running earlier : running.values()) {
            if (earlier != context && earlier.jobId.equals(context.jobId)) {
                earlier.stop(JobContext.StopReason.LEASE_LOST);
                log.warn("Job {}: claimed again as {} while run {} is still stopping here; waiting for it",
                        context.jobId, context.claim, earlier.claim);
                while (!earlier.ended.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    if (context.stopReason() != JobContext.StopReason.NONE) {
                        return;
                    }
                }
            }
        }
    }

    /** Renews the leases of running claims, notices cancellation, and re-queues jobs of dead replicas. */
    private void beat() {
        for (Running r : running.values()) {
            try {
                long sent = System.nanoTime();
                if (!queue.renewLease(r.jobId, r.claim)) {
                    r.stop(JobContext.StopReason.LEASE_LOST);
                } else {
                    r.renewed(sent);
                    if (jobs.isCancelRequested(r.jobId)) {
                        r.stop(JobContext.StopReason.CANCELLED);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Job heartbeat of {}: {}", r.claim, e.toString());
            }
            r.stopReason(); // stops a run whose lease could not be renewed in time
        }
        try {
            Reaped reaped = queue.reapExpired();
            metrics.reaped(reaped);
            if (reaped.total() > 0) {
                log.info("Jobs whose worker stopped: re-queued {}, failed {}, cancelled {}", reaped.requeued(),
                        reaped.failed(), reaped.cancelled());
            }
        } catch (RuntimeException e) {
            log.warn("Job reaper: {}", e.toString());
        }
    }

    /** Waits a poll interval, or less if the replica begins to stop. */
    private void pause() {
        try {
            stopSignal.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The context of one claim of a job. */
    private final class Running implements JobContext {
        final String jobId;
        final String claim;
        final CountDownLatch ended = new CountDownLatch(1);
        /**
         * When the run must stop (System.nanoTime): a lease minus a heartbeat after the last renewal
         * that succeeded was sent. The database set the lease's end after that send, so the lease
         * still holds then, and the run has a heartbeat's time to stop before anyone can take over.
         */
        volatile long stopBy;
        volatile StopReason stop = StopReason.NONE;
        volatile boolean finished;
        /** The latest progress documents not yet written, or null; older ones are never written. */
        private final AtomicReference<String[]> pendingProgress = new AtomicReference<>();
        private final Object progressWrite = new Object();

        Running(String jobId, String claim, long claimSent) {
            this.jobId = jobId;
            this.claim = claim;
            renewed(claimSent);
        }

        void renewed(long sent) {
            stopBy = sent + settings.leaseDuration().minus(settings.heartbeatInterval()).toNanos();
        }

        synchronized void stop(StopReason reason) {
            if (stop == StopReason.NONE) {
                stop = reason;
            }
        }

        @Override
        public StopReason stopReason() {
            if (stop == StopReason.NONE && System.nanoTime() - stopBy > 0) {
                stop(StopReason.LEASE_LOST);
                log.warn("Job {}: the lease of {} could not be renewed in time; stopping the run before it expires",
                        jobId, claim);
            }
            return stop;
        }

        /**
         * Hands the documents to the progress writer and returns at once; while a write is slow,
         * later reports replace the waiting one, so only the latest is written.
         */
        @Override
        public void progress(String progress, String history) {
            if (pendingProgress.getAndSet(new String[] {progress, history}) == null) {
                try {
                    progressWriter.execute(this::writeProgress);
                } catch (RejectedExecutionException stopping) {
                    // The replica stops: the job is handed back, its progress does not matter.
                }
            }
        }

        /**
         * Writes the waiting progress, if any; one write at a time per run, so an older document
         * never lands after a newer one. Best effort: a failed write (the store briefly
         * unreachable) does not fail the job; the heartbeat decides whether it still holds its lease.
         */
        void writeProgress() {
            synchronized (progressWrite) { // not this object's lock, which stop() takes
                String[] documents = pendingProgress.getAndSet(null);
                if (documents == null) {
                    return;
                }
                try {
                    if (!jobs.saveProgress(jobId, claim, documents[0], documents[1])) {
                        stop(StopReason.LEASE_LOST);
                    }
                } catch (DataAccessException e) {
                    log.warn("Job {}: progress not saved: {}", jobId, e.getMostSpecificCause().toString());
                }
            }
        }

        /**
         * Retried on transient store errors while the lease certainly holds (until {@link #stopBy},
         * which renewals move on), never by a run that has lost its lease, so a stale run cannot
         * still be committing when another claim has begun. A retry that finds the job no longer
         * RUNNING but SUCCEEDED with this version reads an earlier try whose commit went through
         * although its answer was lost.
         */
        @Override
        public boolean succeed(Supplier<String> resultVersion, Consumer<String> inSameTransaction) {
            writeProgress();
            if (stopReason() == StopReason.LEASE_LOST) {
                return false;
            }
            List<String> tried = new ArrayList<>();
            finished = TransientErrors.retry("Storing the result of job " + jobId, () -> stopBy, () -> {
                Boolean done = transactions.execute(status -> {
                    String version = resultVersion.get();
                    tried.add(version);
                    if (!jobs.finish(jobId, claim, JobState.SUCCEEDED, version, null)) {
                        return false;
                    }
                    inSameTransaction.accept(version);
                    return true;
                });
                if (Boolean.TRUE.equals(done)) {
                    return true;
                }
                return tried.size() > 1 && jobs.find(jobId).filter(j -> j.state() == JobState.SUCCEEDED
                        && tried.contains(j.resultVersion())).isPresent();
            });
            return finished;
        }
    }
}
