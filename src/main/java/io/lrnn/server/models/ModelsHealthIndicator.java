package io.lrnn.server.models;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code models} health component, part of the readiness group: DOWN until the model
 * directory and the store have been loaded, then UP with the number of models and versions served
 * and the versions that could not be loaded, each with its reason (those do not make the service
 * unready; the others serve).
 */
@Component
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelService service;
    private final ModelRegistry registry;

    ModelsHealthIndicator(ModelService service, ModelRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    @Override
    public Health health() {
        if (!service.isLoaded()) {
            return Health.down().withDetail("loading", "the model directory and the store are still being read")
                    .build();
        }
        return Health.up()
                .withDetail("models", registry.entries().size())
                .withDetail("versions", registry.versionCount())
                .withDetail("notLoaded", service.notLoaded().size())
                .withDetail("loadErrors", service.loadErrors())
                .build();
    }
}
