package io.lrnn.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lrnn.server.common.ProblemException;
import io.lrnn.server.models.ModelConflictException;
import io.lrnn.server.models.ModelNotFoundException;
import io.lrnn.server.predict.InvalidInputException;
import io.lrnn.server.predict.NonFiniteOutputException;
import io.lrnn.server.predict.PredictBusyException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Each problem REST answers, as the gRPC status code and message (and Retry-After trailer) it maps to. */
class GrpcErrorsTest {

    @Test
    void problemsMapToTheirCodesWithRestsMessages() {
        assertMaps(new InvalidInputException("inputs", "a tensor", "none"), Status.Code.INVALID_ARGUMENT);
        assertMaps(new NonFiniteOutputException(0, "y1", Double.NaN), Status.Code.INVALID_ARGUMENT);
        assertMaps(new ModelNotFoundException("no model named x"), Status.Code.NOT_FOUND);
        assertMaps(new NotReadyException(), Status.Code.UNAVAILABLE);
        assertMaps(new ModelConflictException("taken"), Status.Code.FAILED_PRECONDITION);
        assertMaps(new Problem(HttpStatus.CONTENT_TOO_LARGE), Status.Code.RESOURCE_EXHAUSTED);
        assertMaps(new Problem(HttpStatus.SERVICE_UNAVAILABLE), Status.Code.UNAVAILABLE);
        assertMaps(new Problem(HttpStatus.UNAUTHORIZED), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aFullBudgetIsResourceExhaustedWithItsRetryAfter() {
        StatusRuntimeException e = assertMaps(new PredictBusyException(10, 90, 100, 3), Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getTrailers().get(GrpcErrors.RETRY_AFTER)).isEqualTo("3");
        assertThat(e.getStatus().getDescription()).endsWith("retry after 3 s");
        StatusRuntimeException slots = assertMaps(new PredictBusyException(10, 2, 1), Status.Code.RESOURCE_EXHAUSTED);
        assertThat(slots.getTrailers().get(GrpcErrors.RETRY_AFTER)).isEqualTo("1");
    }

    @Test
    void anythingElseIsInternalWithoutItsMessage() {
        StatusRuntimeException e = GrpcErrors.of(new IllegalStateException("secret detail"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isEqualTo("the server failed to answer; the error is logged");
        StatusRuntimeException given = Status.CANCELLED.asRuntimeException();
        assertThat(GrpcErrors.of(given)).isSameAs(given);
    }

    private static StatusRuntimeException assertMaps(ProblemException problem, Status.Code code) {
        StatusRuntimeException e = GrpcErrors.of(problem);
        assertThat(e.getStatus().getCode()).as(problem.getClass().getSimpleName()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isEqualTo(problem.getMessage());
        return e;
    }

    static final class Problem extends ProblemException {
        Problem(HttpStatus status) {
            super(status, "test", "a " + status.value() + " problem");
        }
    }

}
