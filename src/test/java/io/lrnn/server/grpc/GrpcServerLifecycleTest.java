package io.lrnn.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import io.lrnn.server.grpc.v2.ServerLiveRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Graceful shutdown of the gRPC server: on stop it takes no new call, lets the call in flight
 * finish with its answer, and only then reports itself stopped; a call still running after the
 * drain timeout is cancelled. The service holds ModelInfer until the test releases it.
 */
class GrpcServerLifecycleTest {

    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    GrpcServerLifecycle server;
    /** The port, remembered while the server serves (port() is -1 once it drains). */
    int port;
    GrpcClient client;

    /** Answers ModelInfer with the request's id once released, from a thread of its own (as a large infer does). */
    class HoldingService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
            arrived.countDown();
            new Thread(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer.onNext(ModelInferResponse.newBuilder().setId(request.getId()).build());
                answer.onCompleted();
            }).start();
        }
    }

    GrpcServerLifecycle start(Duration drainTimeout) {
        LrnnProperties defaults = TestProperties.of(Path.of("models"), 1000, DataSize.ofMegabytes(8));
        LrnnProperties properties = new LrnnProperties(defaults.models(), defaults.predict(), defaults.security(),
                defaults.jobs(), defaults.datasets(), defaults.store(), defaults.training(),
                new LrnnProperties.Grpc(-1, LrnnProperties.Grpc.INLINE_WORK));
        server = new GrpcServerLifecycle(properties, new HoldingService(), new AuthInterceptor(properties),
                new MetricsInterceptor(new SimpleMeterRegistry()), drainTimeout);
        server.start();
        port = server.port();
        client = new GrpcClient(port);
        return server;
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        client.close();
        server.stop();
    }

    @Test
    void stopTakesNoNewCallsAndLetsTheCallInFlightAnswer() throws Exception {
        start(Duration.ofSeconds(30));
        assertThat(server.state()).isEqualTo(GrpcServerLifecycle.State.SERVING);
        ListenableFuture<ModelInferResponse> inFlight = GRPCInferenceServiceGrpc.newFutureStub(client.channel)
                .modelInfer(ModelInferRequest.newBuilder().setId("in-flight").build());
        assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

        server.stop(stopped::countDown);
        assertThat(server.state()).isEqualTo(GrpcServerLifecycle.State.DRAINING);
        assertThat(server.isRunning()).isTrue();
        try (GrpcClient fresh = new GrpcClient(port)) {
            assertThatThrownBy(() -> fresh.stub().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .serverLive(ServerLiveRequest.getDefaultInstance()))
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(stopped.getCount()).as("stopped before the call in flight answered").isEqualTo(1);

        release.countDown();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).getId()).isEqualTo("in-flight");
        assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.state()).isEqualTo(GrpcServerLifecycle.State.STOPPED);
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void aCallStillRunningAfterTheDrainTimeoutIsCancelled() throws Exception {
        start(Duration.ofMillis(300));
        ListenableFuture<ModelInferResponse> inFlight = GRPCInferenceServiceGrpc.newFutureStub(client.channel)
                .modelInfer(ModelInferRequest.newBuilder().setId("too-slow").build());
        assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

        server.stop(stopped::countDown);
        assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.state()).isEqualTo(GrpcServerLifecycle.State.STOPPED);
        assertThatThrownBy(() -> inFlight.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StatusRuntimeException.class);
    }
}
