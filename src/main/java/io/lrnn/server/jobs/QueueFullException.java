package io.lrnn.server.jobs;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** The queue holds its maximum number of waiting jobs; the client should retry later. */
public class QueueFullException extends ProblemException {

    private final int retryAfterSeconds;

    public QueueFullException(int queued, int retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "queue-full",
                "the training queue is full (" + queued + " jobs waiting, lrnn.jobs.max-queued); retry later");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
