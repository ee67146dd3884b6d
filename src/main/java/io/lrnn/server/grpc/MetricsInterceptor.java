package io.lrnn.server.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Times every gRPC call as {@code lrnn.grpc.server} tagged with the method ({@code ModelInfer}...)
 * and the status code it ended with, refused calls included; a count per tag comes with the timer.
 */
@Component
class MetricsInterceptor implements ServerInterceptor {

    private final MeterRegistry meters;

    MetricsInterceptor(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Timer.builder("lrnn.grpc.server").description("gRPC calls by method and status code")
                        .tags("method", String.valueOf(method), "code", status.getCode().name())
                        .publishPercentileHistogram().register(meters)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }
}
