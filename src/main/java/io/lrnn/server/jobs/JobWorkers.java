package io.lrnn.server.jobs;

import io.lrnn.server.config.LrnnProperties;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This replica's workers: {@code lrnn.jobs.workers} threads that claim queued jobs and run them
 * with the {@link JobHandler}, a heartbeat that renews their leases and notices cancellation, and a
 * reaper that re-queues jobs whose replica died. On shutdown running jobs are stopped and their
 * leases released, so another replica takes them.
 */
@Component
public class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final JobQueue queue;
    private final JobRepository jobs;
    private final JobHandler handler;
    private final TransactionTemplate transactions;
    private final LrnnProperties.Jobs settings;
    private final Clock clock;
    private final String owner;
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService heartbeat;
    private volatile boolean stopping;
    private volatile boolean started;

    public JobWorkers(JobQueue queue, JobRepository jobs, JobHandler handler, TransactionTemplate transactions,
                      LrnnProperties properties, Clock clock) {
        this.queue = queue;
        this.jobs = jobs;
        this.handler = handler;
        this.transactions = transactions;
        this.settings = properties.jobs();
        this.clock = clock;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The identity this replica's workers hold leases under. */
    public String owner() {
        return owner;
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        stopping = false;
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lrnn-job-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
        for (int i = 0; i < settings.workers(); i++) {
            Thread thread = new Thread(this::work, "lrnn-job-worker-" + i);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Asks running jobs to stop, waits (up to a lease) for their workers to hand them back to the
     * queue, then stops the heartbeat, which renews the leases until then.
     */
    @Override
    public synchronized void stop() {
        if (!started) {
            return;
        }
        stopping = true;
        running.values().forEach(r -> r.stop(JobContext.StopReason.SHUTDOWN));
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(settings.leaseDuration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        heartbeat.shutdownNow();
        started = false;
    }

    /** Also true without worker threads ({@code lrnn.jobs.workers=0}): the heartbeat still reaps, and must be stopped. */
    @Override
    public boolean isRunning() {
        return started;
    }

    /** Stops before the web server, so in-flight requests still find the store. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    private void work() {
        while (!stopping) {
            try {
                Optional<Job> job = queue.claim(owner);
                if (job.isPresent()) {
                    run(job.get());
                } else {
                    Thread.sleep(settings.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Job worker: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void run(Job job) {
        Running context = new Running(job.id());
        running.put(job.id(), context);
        if (stopping) {
            // Claimed while stop() was telling the running jobs to stop: hand this one back too.
            context.stop(JobContext.StopReason.SHUTDOWN);
        }
        log.info("Running job {} (attempt {} of {})", job.id(), job.attempt(), job.maxAttempts());
        try {
            handler.run(job, context);
            if (!context.finished) {
                jobs.finish(job.id(), owner, JobState.FAILED, null, "the job ended without a result", clock.instant());
            }
        } catch (Throwable e) {
            // Errors too (a stack overflow in a deep network, say): the job fails, the worker lives on.
            switch (context.stopReason()) {
                case CANCELLED -> jobs.finish(job.id(), owner, JobState.CANCELLED, null, null, clock.instant());
                case SHUTDOWN -> jobs.release(job.id(), owner, clock.instant());
                case LEASE_LOST -> log.warn("Job {} was taken over by another worker", job.id());
                case NONE -> {
                    String error = e.getMessage() != null ? e.getMessage() : e.toString();
                    jobs.finish(job.id(), owner, JobState.FAILED, null, error, clock.instant());
                    log.info("Job {} failed: {}", job.id(), error);
                }
            }
        } finally {
            running.remove(job.id());
        }
    }

    /** Renews the leases of running jobs, notices cancellation, and re-queues jobs of dead replicas. */
    private void beat() {
        try {
            for (Running r : running.values()) {
                if (!queue.renewLease(r.jobId, owner)) {
                    r.stop(JobContext.StopReason.LEASE_LOST);
                } else if (jobs.isCancelRequested(r.jobId)) {
                    r.stop(JobContext.StopReason.CANCELLED);
                }
            }
            int[] reaped = queue.reapExpired();
            if (reaped[0] + reaped[1] + reaped[2] > 0) {
                log.info("Jobs whose worker stopped: re-queued {}, failed {}, cancelled {}", reaped[0], reaped[1],
                        reaped[2]);
            }
        } catch (RuntimeException e) {
            log.warn("Job heartbeat: {}", e.toString());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The context of one running job. */
    private final class Running implements JobContext {
        final String jobId;
        volatile StopReason stop = StopReason.NONE;
        volatile boolean finished;

        Running(String jobId) {
            this.jobId = jobId;
        }

        void stop(StopReason reason) {
            if (stop == StopReason.NONE) {
                stop = reason;
            }
        }

        @Override
        public StopReason stopReason() {
            return stop;
        }

        /**
         * Best effort: a failed write (the store briefly unreachable) does not fail the job; the
         * heartbeat decides whether it still holds its lease.
         */
        @Override
        public void progress(String progress, String history) {
            try {
                if (!jobs.saveProgress(jobId, owner, progress, history)) {
                    stop(StopReason.LEASE_LOST);
                }
            } catch (DataAccessException e) {
                log.warn("Job {}: progress not saved: {}", jobId, e.getMostSpecificCause().toString());
            }
        }

        @Override
        public boolean succeed(String resultVersion, Runnable inSameTransaction) {
            Boolean done = transactions.execute(status -> {
                if (!jobs.finish(jobId, owner, JobState.SUCCEEDED, resultVersion, null, clock.instant())) {
                    return false;
                }
                inSameTransaction.run();
                return true;
            });
            finished = Boolean.TRUE.equals(done);
            return finished;
        }
    }
}
