package io.lrnn.server.jobs;

/** Runs the jobs of one kind; implemented by the feature that owns them (training). */
public interface JobHandler {

    /**
     * Runs {@code job}. On success it calls {@link JobContext#succeed}; to stop early (cancellation,
     * lease lost, shutdown, see {@link JobContext#stopReason()}) or on failure it throws, and the
     * exception's message becomes the job's error unless the job was stopped.
     */
    void run(Job job, JobContext context) throws Exception;
}
