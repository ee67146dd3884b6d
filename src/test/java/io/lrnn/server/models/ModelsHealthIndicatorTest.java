package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.ServingFixtures;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class ModelsHealthIndicatorTest {

    @TempDir
    Path modelDirectory;

    @Test
    void downUntilLoadedThenUpWithCountsAndLoadErrors() throws Exception {
        ServingFixtures.write(modelDirectory, "alpha", "1", ServingFixtures.model(1));
        ServingFixtures.write(modelDirectory, "alpha", "2", ServingFixtures.model(2));
        InMemoryModelStore store = new InMemoryModelStore();
        store.save("beta", "7", ServingFixtures.model(3));
        Path broken = Files.createDirectories(modelDirectory.resolve("gamma").resolve("1"));
        Files.writeString(broken.resolve("model.json"), "{not json");
        ModelRegistry registry = new ModelRegistry();
        LrnnProperties properties = TestProperties.of(modelDirectory, 10, DataSize.ofKilobytes(1));
        ModelService service = new ModelService(registry, store, properties,
                new ModelWarmUp(properties, new SimpleMeterRegistry()), java.time.Clock.systemUTC());
        ModelsHealthIndicator indicator = new ModelsHealthIndicator(service, registry);

        Health before = indicator.health();
        assertThat(before.getStatus()).isEqualTo(Status.DOWN);
        assertThat(before.getDetails()).containsOnlyKeys("loading");

        service.run(null);
        Health after = indicator.health();
        assertThat(after.getStatus()).isEqualTo(Status.UP);
        assertThat(after.getDetails()).containsEntry("models", 2).containsEntry("versions", 3);
        assertThat((List<?>) after.getDetails().get("loadErrors")).singleElement().asString()
                .startsWith("gamma/1: ");
    }
}
