package io.lrnn.server.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The queue's meters: jobs by state and queue depth (shared by every replica, read from a snapshot
 * that {@link #refresh()} takes on the poll interval, so a scrape never waits for the database),
 * this replica's running jobs, run durations, attempts of finished jobs and reaped leases.
 */
@Component
class JobMetrics {

    private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);

    /** How a run on this replica ended: the {@code outcome} tag of {@code lrnn.jobs.duration}. */
    enum Outcome {
        SUCCEEDED, FAILED, CANCELLED,
        /** Handed back to the queue at shutdown. */
        RELEASED,
        /** Its lease was lost (taken over, or not renewed in time). */
        LEASE_LOST;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final JobRepository jobs;
    private final MeterRegistry meters;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);
    private final DistributionSummary attempts;
    private final Counter requeued;
    private final Counter failed;
    private final Counter cancelled;
    /** The last counts read, or null before the first read. */
    private volatile Map<JobState, Long> counts;

    JobMetrics(JobRepository jobs, MeterRegistry meters) {
        this.jobs = jobs;
        this.meters = meters;
        for (JobState state : JobState.values()) {
            Gauge.builder("lrnn.jobs", this, m -> m.count(state)).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Jobs in each state, in the store shared by every replica (refreshed on the poll "
                            + "interval)").register(meters);
        }
        Gauge.builder("lrnn.jobs.queue.depth", this, m -> m.count(JobState.QUEUED))
                .description("Jobs waiting to be claimed (refreshed on the poll interval)").register(meters);
        Gauge.builder("lrnn.jobs.replica.running", running, AtomicInteger::get)
                .description("Jobs running on this replica").register(meters);
        for (Outcome outcome : Outcome.values()) {
            durations.put(outcome, Timer.builder("lrnn.jobs.duration").tag("outcome", outcome.tag())
                    .description("Runs of jobs on this replica, by how they ended").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofDays(1))
                    .register(meters));
        }
        attempts = DistributionSummary.builder("lrnn.jobs.attempts")
                .description("Attempts a job took, recorded when this replica ends it SUCCEEDED, FAILED or CANCELLED")
                .serviceLevelObjectives(1, 2, 3, 5, 10, 20, 50, 100).register(meters);
        requeued = reapedCounter("requeued");
        failed = reapedCounter("failed");
        cancelled = reapedCounter("cancelled");
    }

    private Counter reapedCounter(String outcome) {
        return Counter.builder("lrnn.jobs.reaped").tag("outcome", outcome)
                .description("Expired leases this replica's reaper ended, by what became of the job").register(meters);
    }

    /** Reads the counts by state once (called on the poll interval); keeps the last ones if the store fails. */
    void refresh() {
        try {
            counts = jobs.countByState();
        } catch (RuntimeException e) {
            log.debug("Job counts not refreshed: {}", e.toString());
        }
    }

    private double count(JobState state) {
        Map<JobState, Long> known = counts;
        return known == null ? Double.NaN : known.get(state);
    }

    /** Counts a run as running on this replica while {@code run} runs; times it by the outcome it returns. */
    void run(Supplier<Outcome> run) {
        running.incrementAndGet();
        long start = System.nanoTime();
        Outcome outcome = Outcome.FAILED;
        try {
            outcome = run.get();
        } finally {
            running.decrementAndGet();
            durations.get(outcome).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** A job this replica ended in a final state after {@code attempt} attempts. */
    void ended(int attempt) {
        attempts.record(attempt);
    }

    void reaped(Reaped reaped) {
        requeued.increment(reaped.requeued());
        failed.increment(reaped.failed());
        cancelled.increment(reaped.cancelled());
    }
}
