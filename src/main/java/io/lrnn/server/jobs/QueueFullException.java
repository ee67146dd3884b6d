package io.lrnn.server.jobs;

/** The queue holds its maximum number of waiting jobs; the client should retry later. */
public class QueueFullException extends RuntimeException {

    private final int retryAfterSeconds;

    public QueueFullException(int queued, int retryAfterSeconds) {
        super("the training queue is full (" + queued + " jobs waiting, lrnn.jobs.max-queued); retry later");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
