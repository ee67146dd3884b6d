package io.lrnn.server.training;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** No job event stream can be opened on this replica now (all taken, or shutting down); retry later. */
class EventStreamsUnavailableException extends ProblemException {

    private final long retryAfterSeconds;

    private EventStreamsUnavailableException(String message, long retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "event-streams-unavailable", message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static EventStreamsUnavailableException full(int max, long retryAfterSeconds) {
        return new EventStreamsUnavailableException("job event streams: expected fewer than " + max
                + " open on this replica (lrnn.training.events.max-connections) but found " + max
                + "; retry later", retryAfterSeconds);
    }

    static EventStreamsUnavailableException stopping(long retryAfterSeconds) {
        return new EventStreamsUnavailableException("job event streams: this replica is shutting down; "
                + "retry on another", retryAfterSeconds);
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
