package io.lrnn.server.web;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A request body larger than {@code lrnn.predict.max-body-size}. */
public class PayloadTooLargeException extends ProblemException {

    public PayloadTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "request body: expected at most " + limit + " bytes (lrnn.predict.max-body-size) but found more");
    }

    /** This exception if it is in {@code e}'s cause chain, else null. */
    static PayloadTooLargeException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException found) {
                return found;
            }
        }
        return null;
    }
}
