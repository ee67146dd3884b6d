package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

    @Test
    void wholeNumbersByValueThenTextVersions() {
        List<String> versions = new ArrayList<>(List.of("10", "b", "2", "1", "a-1", "002", "9"));
        versions.sort(VersionOrder.INSTANCE);
        assertThat(versions).containsExactly("1", "002", "2", "9", "10", "a-1", "b");
    }

    @Test
    void highestVersionIsTheDefaultUnlessOneIsPinned() {
        ModelRegistry registry = new ModelRegistry();
        for (String v : List.of("2", "10", "9")) {
            registry.add(new LoadedModel("m", v, null, false, null), false);
        }
        assertThat(registry.entry("m").defaultVersion()).isEqualTo("10");
        registry.pinDefault("m", "2");
        assertThat(registry.resolve("m", null).version()).isEqualTo("2");
        registry.remove("m", "2");
        assertThat(registry.resolve("m", null).version()).as("removing the pinned default unpins it").isEqualTo("10");
    }
}
