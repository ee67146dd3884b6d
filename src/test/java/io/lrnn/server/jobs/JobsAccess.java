package io.lrnn.server.jobs;

import java.time.Instant;
import java.util.Optional;

/** Lets tests in other packages drive the queue as a worker does: claim, heartbeat, reap, guarded updates. */
public final class JobsAccess {

    private JobsAccess() {
    }

    public static Optional<Job> claim(JobQueue queue, String owner) {
        return queue.claim(owner);
    }

    public static boolean renewLease(JobQueue queue, String id, String owner) {
        return queue.renewLease(id, owner);
    }

    /** How many expired jobs were re-queued, failed and cancelled. */
    public static int[] reapExpired(JobQueue queue) {
        return queue.reapExpired();
    }

    public static boolean saveProgress(JobRepository jobs, String id, String owner, String progress, String history) {
        return jobs.saveProgress(id, owner, progress, history);
    }

    public static boolean finish(JobRepository jobs, String id, String owner, JobState state, String resultVersion,
                                 String error, Instant now) {
        return jobs.finish(id, owner, state, resultVersion, error, now);
    }

    public static boolean release(JobRepository jobs, String id, String owner, Instant now) {
        return jobs.release(id, owner, now);
    }
}
