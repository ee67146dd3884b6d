package io.lrnn.server.grpc;

import io.lrnn.server.common.ProblemException;
import org.springframework.http.HttpStatus;

/** A call that needs the models while they are still loading: UNAVAILABLE, as REST's readiness says. */
class NotReadyException extends ProblemException {

    NotReadyException() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "server is not ready: the models are still loading");
    }
}
