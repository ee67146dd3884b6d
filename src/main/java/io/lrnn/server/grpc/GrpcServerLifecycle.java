package io.lrnn.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.lrnn.server.config.LrnnProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The gRPC server on {@code lrnn.grpc.port} (0: none, -1: a free port), started with the context
 * and stopped like REST's graceful shutdown, in the same lifecycle phase: it stops taking calls,
 * lets the calls in flight finish for up to {@code spring.lifecycle.timeout-per-shutdown-phase},
 * then cancels what is left. Its largest message is {@code lrnn.predict.max-body-size}; a larger
 * one is refused with RESOURCE_EXHAUSTED before it is read whole. A service given to it must not
 * block its calls' threads (Netty's event loops): a slow call answers from a thread of its own.
 */
@Component
class GrpcServerLifecycle implements SmartLifecycle {

    /** The phase of the web server's graceful shutdown, so both drain side by side. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    /** What the server is doing, for health. */
    enum State { DISABLED, NEW, SERVING, DRAINING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(GrpcServerLifecycle.class);

    private final int configuredPort;
    private final int maxMessageBytes;
    private final Duration drainTimeout;
    private final BindableService service;
    private final AuthInterceptor auth;
    private final MetricsInterceptor metrics;
    private volatile Server server;
    private volatile State state;

    GrpcServerLifecycle(LrnnProperties properties, BindableService service, AuthInterceptor auth,
                        MetricsInterceptor metrics,
                        @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration drainTimeout) {
        this.configuredPort = properties.grpc().port();
        this.maxMessageBytes = (int) Math.min(Integer.MAX_VALUE, properties.predict().maxBodySize().toBytes());
        this.drainTimeout = drainTimeout;
        this.service = service;
        this.auth = auth;
        this.metrics = metrics;
        this.state = configuredPort == 0 ? State.DISABLED : State.NEW;
    }

    @Override
    public synchronized void start() {
        if (state != State.NEW) {
            return;
        }
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(Math.max(configuredPort, 0)))
                    .maxInboundMessageSize(maxMessageBytes)
                    // Calls start on Netty's event loops without a hand-off: the RPCs are short and
                    // never block, and InferenceService moves a large infer to a worker thread.
                    .directExecutor()
                    // Interceptors run last-added first: every call is timed, refused ones too.
                    .addService(ServerInterceptors.intercept(service, auth, metrics))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("gRPC server: could not listen on port " + configuredPort, e);
        }
        state = State.SERVING;
        log.info("gRPC (Open Inference Protocol) listening on port {}", server.getPort());
    }

    @Override
    public void stop(Runnable callback) {
        Server running = beginDrain();
        if (running == null) {
            callback.run();
            return;
        }
        Thread drain = new Thread(() -> {
            finishDrain(running);
            callback.run();
        }, "grpc-shutdown");
        drain.start();
    }

    @Override
    public void stop() {
        Server running = beginDrain();
        if (running != null) {
            finishDrain(running);
        }
    }

    private synchronized Server beginDrain() {
        if (state != State.SERVING) {
            return null;
        }
        state = State.DRAINING;
        log.info("gRPC: no new calls; waiting up to {} for the calls in flight", drainTimeout);
        return server.shutdown();
    }

    private void finishDrain(Server running) {
        try {
            if (!running.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("gRPC: calls still in flight after {}; cancelling them", drainTimeout);
                running.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return state == State.SERVING || state == State.DRAINING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    State state() {
        return state;
    }

    /** The port the server listens on, or -1 when it is not serving. */
    int port() {
        Server current = server;
        return state == State.SERVING && current != null ? current.getPort() : -1;
    }
}
