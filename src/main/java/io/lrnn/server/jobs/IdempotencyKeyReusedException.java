package io.lrnn.server.jobs;

/** An Idempotency-Key sent again with a request other than the one it first came with. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key, String jobId) {
        super("Idempotency-Key: expected the request first sent with '" + key + "' (job " + jobId
                + ") but found a different request; use a new key for a new request");
    }
}
