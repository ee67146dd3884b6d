package io.lrnn.server.jobs;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** An Idempotency-Key sent again with a request other than the one it first came with. */
public class IdempotencyKeyReusedException extends ProblemException {

    public IdempotencyKeyReusedException(String key, String jobId) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                "Idempotency-Key: expected the request first sent with '" + key + "' (job " + jobId
                + ") but found a different request; use a new key for a new request");
    }
}
