package io.lrnn.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lrnn.server.common.ProblemException;
import io.lrnn.server.predict.PredictBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The one place that turns exceptions into gRPC statuses, with REST's messages: bad input (400,
 * and 422 for outputs that are not finite) INVALID_ARGUMENT, an unknown model or version
 * NOT_FOUND, a full predict budget or a too large message RESOURCE_EXHAUSTED, not ready or the
 * store unreachable UNAVAILABLE, a missing key UNAUTHENTICATED, anything else INTERNAL (logged,
 * its message not sent). A {@code retry-after} trailer carries the seconds REST's Retry-After does.
 */
final class GrpcErrors {

    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException of(Throwable e) {
        if (e instanceof StatusRuntimeException status) {
            return status;
        }
        if (!(e instanceof ProblemException problem)) {
            log.error("Unexpected error in a gRPC call", e);
            return Status.INTERNAL.withDescription("the server failed to answer; the error is logged")
                    .asRuntimeException();
        }
        Metadata trailers = new Metadata();
        if (problem.retryAfterSeconds() > 0) {
            trailers.put(RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
        }
        return code(problem).toStatus().withDescription(problem.getMessage()).asRuntimeException(trailers);
    }

    static Status.Code code(ProblemException problem) {
        if (problem instanceof PredictBusyException) {
            return Status.Code.RESOURCE_EXHAUSTED;
        }
        HttpStatus status = problem.status();
        return switch (status) {
            case BAD_REQUEST, UNPROCESSABLE_CONTENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case CONTENT_TOO_LARGE -> Status.Code.RESOURCE_EXHAUSTED;
            case SERVICE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case CONFLICT -> Status.Code.FAILED_PRECONDITION;
            default -> Status.Code.INTERNAL;
        };
    }
}
