package io.lrnn.server.jobs;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** What a running job can see and do; thread-safe. */
public interface JobContext {

    /** Why the job should stop now, or {@link StopReason#NONE}; checked by the handler between steps. */
    StopReason stopReason();

    /** Stores progress documents (JSON) while the worker still holds the job. */
    void progress(String progress, String history);

    /**
     * Marks the job SUCCEEDED with the version {@code resultVersion} chooses, running
     * {@code inSameTransaction} (which writes the result under that version) in the same database
     * transaction; returns false, writing nothing, if the worker no longer holds the job. Retried
     * on transient store errors, so both may run more than once (each time in a fresh transaction):
     * choosing the version reads the store too, and the store may be away when training ends.
     */
    boolean succeed(Supplier<String> resultVersion, Consumer<String> inSameTransaction);

    /** Why a running job must stop. */
    enum StopReason {
        NONE,
        /** A user cancelled it. */
        CANCELLED,
        /**
         * This claim no longer holds the job: another claim took it over, or the lease could not
         * be renewed for a lease minus a heartbeat (the run must stop before it can expire).
         */
        LEASE_LOST,
        /** This replica is shutting down; the job goes back to the queue. */
        SHUTDOWN
    }
}
