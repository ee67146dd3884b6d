package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import io.lrnn.server.TestModels;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Labels and the traffic split through {@link ModelService} and {@link ModelRegistry} on an
 * in-memory store: resolution (a version first, then a label), the rules that keep labels
 * pointing at versions, and the sync that brings other replicas' labels.
 */
class ModelLabelsTest {

    @TempDir
    Path modelDirectory;

    final InMemoryModelStore store = new InMemoryModelStore();
    final ModelRegistry registry = new ModelRegistry();
    ModelService service;

    @BeforeEach
    void twoStoredVersionsAndOneInTheDirectory() {
        TestModels.write(modelDirectory, "m", "0", TestModels.regression(10));
        store.save("m", "1", TestModels.regression(1));
        store.save("m", "2", TestModels.regression(2));
        LrnnProperties properties = TestProperties.of(modelDirectory, 10, DataSize.ofKilobytes(1));
        service = new ModelService(registry, store, properties,
                new ModelWarmUp(properties, new SimpleMeterRegistry()), Clock.systemUTC());
        service.run(null);
    }

    @Test
    void aVersionComesFirstThenALabel() {
        service.setLabel("m", "stable", "1");
        service.setLabel("m", "canary", "2");
        assertThat(registry.resolve("m", "stable").version()).isEqualTo("1");
        assertThat(registry.resolve("m", "canary").version()).isEqualTo("2");
        assertThat(registry.resolve("m", "1").version()).isEqualTo("1");
        assertThat(registry.resolveLabel("m", "stable").version()).isEqualTo("1");
        assertThat(registry.resolve("m", null).version()).as("no split: the default").isEqualTo("2");
        assertThat(registry.labels("m").labels()).containsExactly(Map.entry("canary", "2"), Map.entry("stable", "1"));

        // Another replica's label that collides with a version (set in a race): the version wins.
        store.saveLabel("m", "1", "2", true);
        service.sync();
        assertThat(registry.labels("m").labels()).containsEntry("1", "2");
        assertThat(registry.resolve("m", "1").version()).isEqualTo("1");
        assertThat(registry.resolveLabel("m", "1").version()).isEqualTo("2");
    }

    @Test
    void anUnknownVersionOrLabelIsANotFoundNamingWhatExists() {
        assertThatThrownBy(() -> registry.resolve("m", "beta")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no version beta (versions: 0, 1, 2)");
        service.setLabel("m", "stable", "1");
        service.setLabel("m", "canary", "2");
        assertThatThrownBy(() -> registry.resolve("m", "beta")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no version or label beta (versions: 0, 1, 2; labels: canary, stable)");
        assertThatThrownBy(() -> registry.resolveLabel("m", "1")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no label 1 (labels: canary, stable)");
        assertThatThrownBy(() -> registry.resolve("nope", "stable")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("no model named nope");
        assertThatThrownBy(() -> service.setLabel("m", "beta", "7")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no version 7 (versions: 0, 1, 2)");
        assertThatThrownBy(() -> service.setLabel("m", "beta", "stable")).as("a label names a version, not a label")
                .isInstanceOf(ModelNotFoundException.class).hasMessage("model m has no version stable (versions: 0, 1, 2)");
        assertThatThrownBy(() -> service.setLabel("nope", "beta", "1")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("no model named nope");
        assertThatThrownBy(() -> service.setLabel("m", "-beta", "1")).isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("label: expected 1 to 64 letters");
        assertThatThrownBy(() -> service.deleteLabel("m", "beta")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no label beta (labels: canary, stable)");

        // A label whose version this replica does not serve (another replica does) says so.
        store.saveLabel("m", "far", "9", false);
        service.sync();
        assertThatThrownBy(() -> registry.resolve("m", "far")).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m label far names version 9, which is not served (versions: 0, 1, 2)");
    }

    @Test
    void aLabelAndAVersionNeverTakeEachOthersName() {
        service.setLabel("m", "canary", "2");
        assertThatThrownBy(() -> service.setLabel("m", "1", "2")).isInstanceOf(ModelConflictException.class)
                .hasMessage("model m has a version 1; a label cannot take a version's name");
        Model model = TestModels.regression(3);
        assertThatThrownBy(() -> service.upload("m", "canary", ModelServiceTest.part(TestModels.json(model)),
                ModelServiceTest.part(TestModels.weights(model)))).isInstanceOf(ModelConflictException.class)
                .hasMessage("model m has a label canary; a version cannot take a label's name");
        service.setLabel("m", "3", "1");
        assertThat(service.nextVersion("m")).as("a trained version skips a whole-number label").isEqualTo("4");
    }

    @Test
    void aVersionALabelNamesIsKeptUntilTheLabelMoves() {
        service.setLabel("m", "canary", "2");
        service.setLabel("m", "beta", "2");
        assertThatThrownBy(() -> service.delete("m", "2")).isInstanceOf(ModelConflictException.class)
                .hasMessage("model m version 2 is named by the labels beta, canary; point them at another version "
                        + "or delete them first");
        assertThat(registry.contains("m", "2")).isTrue();
        assertThat(store.versions()).containsKey(java.util.List.of("m", "2"));

        service.setLabel("m", "canary", "1");
        service.deleteLabel("m", "beta");
        service.delete("m", "2");
        assertThat(registry.contains("m", "2")).isFalse();
        assertThat(registry.resolve("m", "canary").version()).isEqualTo("1");
        assertThat(store.labels().get("m").labels()).containsExactly(Map.entry("canary", "1"));
    }

    @Test
    void aLabelCanNameAVersionOfTheReadOnlyDirectory() {
        service.setLabel("m", "stable", "0");
        assertThat(registry.resolve("m", "stable").readOnly()).isTrue();
        assertThat(registry.resolve("m", "stable").version()).isEqualTo("0");
        assertThat(store.labels().get("m").labels()).containsEntry("stable", "0");
    }

    @Test
    void theSplitAnswersRequestsThatNameNoVersionAndProtectsItsLabels() {
        service.setLabel("m", "stable", "1");
        service.setLabel("m", "canary", "2");
        service.setDefaultVersion("m", "0");
        service.setSplit("m", Map.of("stable", 90, "canary", 10));

        assertThat(registry.resolve("m", null, "order-42").version()).as("bucket 3: canary").isEqualTo("2");
        assertThat(registry.resolve("m", null, "req-1").version()).as("bucket 77: stable").isEqualTo("1");
        assertThat(registry.resolve("m", "0", "order-42").version()).as("a version named wins").isEqualTo("0");
        assertThat(registry.labels("m").split()).isEqualTo(new TrafficSplit("canary", 10, "stable", 90));
        assertThat(store.labels().get("m").split()).isEqualTo(new TrafficSplit("canary", 10, "stable", 90));

        assertThatThrownBy(() -> service.deleteLabel("m", "canary")).isInstanceOf(ModelConflictException.class)
                .hasMessage("model m label canary is part of the traffic split; change or delete the split first");
        assertThatThrownBy(() -> service.setSplit("m", Map.of("stable", 90, "beta", 10)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("split: expected labels of model m (labels: canary, stable) but found beta");
        assertThatThrownBy(() -> service.setSplit("nope", Map.of("stable", 90, "canary", 10)))
                .isInstanceOf(ModelNotFoundException.class).hasMessage("no model named nope");

        // Moving a label moves its share of the traffic.
        service.setLabel("m", "canary", "0");
        assertThat(registry.resolve("m", null, "order-42").version()).isEqualTo("0");

        service.setSplit("m", null);
        assertThat(registry.resolve("m", null, "order-42").version()).as("the default again").isEqualTo("0");
        assertThat(registry.resolve("m", null, "req-1").version()).isEqualTo("0");
        assertThatThrownBy(() -> service.setSplit("m", null)).isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model m has no traffic split");
        service.deleteLabel("m", "canary");
        assertThat(registry.labels("m").labels()).containsOnlyKeys("stable");
    }

    @Test
    void labelsAndSplitsAnotherReplicaStoredArriveWithTheSync() {
        store.saveLabel("m", "stable", "1", true);
        store.saveLabel("m", "canary", "2", true);
        store.saveSplit("m", new TrafficSplit("stable", 50, "canary", 50));
        assertThat(registry.labels("m")).isEqualTo(ModelLabels.NONE);
        service.sync();
        assertThat(registry.labels("m").labels()).containsExactly(Map.entry("canary", "2"), Map.entry("stable", "1"));
        assertThat(registry.labels("m").split()).isEqualTo(new TrafficSplit("canary", 50, "stable", 50));

        store.saveSplit("m", null);
        store.deleteLabel("m", "canary");
        service.sync();
        assertThat(registry.labels("m")).isEqualTo(new ModelLabels(Map.of("stable", "1"), null));
    }
}
