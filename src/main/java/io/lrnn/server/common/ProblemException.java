package io.lrnn.server.common;

import org.springframework.http.HttpStatus;

/**
 * A feature's exception that is answered as a problem: its status, its stable problem
 * {@code type} slug (appended to the problem type base URI) and its message as the detail.
 * Subclasses say what went wrong, expected versus found; the web layer maps them all alike.
 */
public abstract class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String type;

    protected ProblemException(HttpStatus status, String type, String message) {
        this(status, type, message, null);
    }

    protected ProblemException(HttpStatus status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** Seconds a client should wait before retrying, for answers that carry {@code Retry-After}; else 0. */
    public long retryAfterSeconds() {
        return 0;
    }
}
