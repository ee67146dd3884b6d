package io.lrnn.server.predict;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** The predict memory budget is full: 503 with Retry-After, answered before the body is read. */
public class PredictBusyException extends ProblemException {

    private final long retryAfterSeconds;

    public PredictBusyException(long requested, long inFlight, long capacity, long retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "predict-busy", "predict: expected the memory of requests in flight within "
                + capacity + " bytes (lrnn.predict.memory-share of the heap) but found " + inFlight
                + " bytes in flight and " + requested + " more asked for; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** All large-body slots are taken. */
    public PredictBusyException(long requested, int largeBodySlots, long retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "predict-busy", "predict: expected at most " + largeBodySlots
                + " large bodies (over " + PredictBudget.LARGE_BODY + " bytes, or chunked) in flight "
                + "(lrnn.predict.max-large-bodies) but found " + largeBodySlots + " already and one more of "
                + requested + " bytes; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
