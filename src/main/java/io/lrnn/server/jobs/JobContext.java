package io.lrnn.server.jobs;

/** What a running job can see and do; thread-safe. */
public interface JobContext {

    /** Why the job should stop now, or {@link StopReason#NONE}; checked by the handler between steps. */
    StopReason stopReason();

    /** Stores progress documents (JSON) while the worker still holds the job. */
    void progress(String progress, String history);

    /**
     * Marks the job SUCCEEDED with {@code resultVersion}, running {@code inSameTransaction} (which
     * writes the result) in the same database transaction; returns false, writing nothing, if
     * the worker no longer holds the job.
     */
    boolean succeed(String resultVersion, Runnable inSameTransaction);

    /** Why a running job must stop. */
    enum StopReason {
        NONE,
        /** A user cancelled it. */
        CANCELLED,
        /** Another worker took it over (this worker's lease expired). */
        LEASE_LOST,
        /** This replica is shutting down; the job goes back to the queue. */
        SHUTDOWN
    }
}
