package io.lrnn.server.models;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** {@code lrnn.models.loaded}: how many model versions are being served. */
@Component
class ModelMetrics implements MeterBinder {

    private final ModelRegistry registry;

    ModelMetrics(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("lrnn.models.loaded", registry, ModelRegistry::versionCount)
                .description("Model versions loaded and served").register(meters);
    }
}
