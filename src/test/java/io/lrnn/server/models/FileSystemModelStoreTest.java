package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import io.lrnn.server.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemModelStoreTest {

    @TempDir
    Path root;

    @Test
    void savedVersionsComeBackWholeAndDeletedOnesLeaveNothing() throws Exception {
        FileSystemModelStore store = new FileSystemModelStore(root);
        Model model = TestModels.regression(1);
        store.save("m", "1", model);
        store.save("m", "2", TestModels.regression(2));
        store.saveDefaultVersion("m", "1");

        var loaded = new FileSystemModelStore(root).loadAll();
        assertThat(loaded).extracting(ModelStore.Stored::version).containsExactly("1", "2");
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{0.1, 0.2, 0.3}});
        assertThat(loaded.get(0).model().predict(x).data).isEqualTo(model.predict(x).data);
        assertThat(store.defaultVersions()).isEqualTo(Map.of("m", "1"));

        store.delete("m", "2");
        assertThat(store.loadAll()).extracting(ModelStore.Stored::version).containsExactly("1");
        try (var files = Files.list(root.resolve("m"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "default-version");
        }
    }

    @Test
    void aCorruptVersionIsReportedNotThrown() throws Exception {
        TestModels.write(root, "m", "1", TestModels.regression(1));
        Path broken = TestModels.write(root, "m", "2", TestModels.regression(2));
        Files.write(broken.resolve("weights.safetensors"), new byte[] {1, 2, 3});
        var loaded = new FileSystemModelStore(root).loadAll();
        assertThat(loaded.get(0).model()).isNotNull();
        assertThat(loaded.get(1).model()).isNull();
        assertThat(loaded.get(1).error()).contains("weights.safetensors");
    }
}
