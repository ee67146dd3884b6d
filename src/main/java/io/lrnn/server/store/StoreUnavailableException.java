package io.lrnn.server.store;

import io.lrnn.server.common.ProblemException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/** The database cannot be reached for now: 503 {@code store-unavailable} with Retry-After. */
public class StoreUnavailableException extends ProblemException {

    private final long retryAfterSeconds;

    public StoreUnavailableException(Duration retryAfter, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable",
                "the database is unreachable for now; jobs, data sets and model changes need it (predict does not). "
                        + "Retry in " + Math.max(1, retryAfter.toSeconds()) + " s", cause);
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
