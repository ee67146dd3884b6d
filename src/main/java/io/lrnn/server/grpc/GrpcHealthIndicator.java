package io.lrnn.server.grpc;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code grpc} health component, part of the readiness group: UP with the port while the
 * gRPC server serves (or with {@code disabled} when {@code lrnn.grpc.port} is 0), DOWN while it
 * starts, drains or has stopped.
 */
@Component
class GrpcHealthIndicator implements HealthIndicator {

    private final GrpcServerLifecycle server;

    GrpcHealthIndicator(GrpcServerLifecycle server) {
        this.server = server;
    }

    @Override
    public Health health() {
        return switch (server.state()) {
            case DISABLED -> Health.up().withDetail("port", "disabled").build();
            case SERVING -> Health.up().withDetail("port", server.port()).build();
            default -> Health.down().withDetail("state", server.state().name().toLowerCase()).build();
        };
    }
}
