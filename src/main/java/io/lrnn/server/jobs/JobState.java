package io.lrnn.server.jobs;

/** The life of a job: QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED (RUNNING may go back to QUEUED). */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
