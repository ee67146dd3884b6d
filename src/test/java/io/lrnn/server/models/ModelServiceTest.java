package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.server.TestModels;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Loading isolated per version, failures remembered, versions numbered past long range, publish vs sync. */
class ModelServiceTest {

    static final byte[] NOT_JSON = "{not json".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path modelDirectory;

    final InMemoryModelStore store = new InMemoryModelStore();
    final ModelRegistry registry = new ModelRegistry();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    ModelService service() {
        return service(store);
    }

    ModelService service(ModelStore store) {
        LrnnProperties properties = TestProperties.of(modelDirectory, 10, DataSize.ofKilobytes(1));
        return new ModelService(registry, store, properties, new ModelWarmUp(properties, meters), Clock.systemUTC());
    }

    @Test
    void badVersionsInTheStoreAndTheDirectoryDoNotStopStartUpOrTheOthers() throws Exception {
        TestModels.write(modelDirectory, "dir", "1", TestModels.regression(1));
        Path broken = Files.createDirectories(modelDirectory.resolve("dir").resolve("2"));
        Files.writeString(broken.resolve("model.json"), "[]");
        Files.write(broken.resolve("weights.safetensors"), new byte[8]);
        Files.createDirectories(modelDirectory.resolve("dir").resolve("3")).resolve("model.json").toFile().createNewFile();
        store.save("st", "1", TestModels.regression(2));
        store.save("st", "2", NOT_JSON, new byte[8], null);
        ModelService service = service();

        service.run(null);

        assertThat(service.isLoaded()).isTrue();
        assertThat(registry.contains("dir", "1")).isTrue();
        assertThat(registry.contains("st", "1")).isTrue();
        assertThat(service.notLoaded()).extracting(NotLoaded::name, NotLoaded::version, NotLoaded::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dir", "2", "directory"),
                        org.assertj.core.groups.Tuple.tuple("dir", "3", "directory"),
                        org.assertj.core.groups.Tuple.tuple("st", "2", "store"));
        assertThat(service.notLoaded().get(0).reason()).isEqualTo("model.json: expected a JSON object but found "
                + "[]");
        assertThat(service.notLoaded().get(1).reason()).startsWith("files not readable: java.nio.file.NoSuchFileException: ")
                .endsWith("weights.safetensors");
        assertThatThrownBy(() -> service.delete("dir", "2")).isInstanceOf(ModelConflictException.class)
                .hasMessageContaining("read-only model directory");
    }

    @Test
    void aVersionThatFailedIsNotFetchedAgainUntilItIsStoredAnew() {
        store.save("m", "1", NOT_JSON, new byte[8], null);
        ModelService service = service();
        service.sync();
        service.sync();
        service.sync();
        assertThat(store.loads).hasValue(1);
        assertThat(service.notLoaded("m")).hasSize(1);

        // Deleted and stored again by another replica, now valid: a new stored time, so it is read.
        store.delete("m", "1");
        Model model = TestModels.regression(3);
        store.save("m", "1", model);
        service.sync();
        assertThat(store.loads).hasValue(2);
        assertThat(registry.contains("m", "1")).isTrue();
        assertThat(service.notLoaded()).isEmpty();
    }

    @Test
    void aDeletedFailedVersionIsForgottenAndGoneFromTheStore() {
        store.save("m", "1", NOT_JSON, new byte[8], null);
        ModelService service = service();
        service.sync();
        service.delete("m", "1");
        assertThat(store.versions()).isEmpty();
        assertThat(service.notLoaded()).isEmpty();
        assertThatThrownBy(() -> service.delete("m", "1")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void nextVersionCountsVersionsOfAnyLength() {
        ModelService service = service();
        assertThat(service.nextVersion("m")).isEqualTo("1");
        store.save("m", "9", TestModels.regression(1));
        store.save("m", "beta", TestModels.regression(1));
        assertThat(service.nextVersion("m")).isEqualTo("10");
        store.save("m", "12345678901234567890", NOT_JSON, new byte[8], null);
        assertThat(service.nextVersion("m")).isEqualTo("12345678901234567891");
        store.save("m", "99999999999999999999999999999999", TestModels.regression(1));
        store.save("other", "100000000000000000000000000000000000", TestModels.regression(1));
        assertThat(service.nextVersion("m")).isEqualTo("100000000000000000000000000000000");
    }

    /**
     * A sync that read the store before a trained version was committed must not remove that
     * version when {@code publish} adds it meanwhile (it would be hidden until the next sync).
     */
    @Test
    void aVersionPublishedWhileASyncRunsStaysVisible() throws Exception {
        CountDownLatch syncRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryModelStore slow = new InMemoryModelStore() {
            @Override
            public Map<List<String>, Instant> versions() {
                Map<List<String>, Instant> snapshot = super.versions();
                if (Thread.currentThread().getName().equals("sync")) {
                    syncRead.countDown();
                    await(release);
                }
                return snapshot;
            }
        };
        ModelService service = service(slow);
        Model trained = TestModels.regression(4);
        Thread sync = new Thread(service::sync, "sync");
        sync.start();
        assertThat(syncRead.await(30, TimeUnit.SECONDS)).isTrue();

        // The training job commits its version and publishes it while the sync holds an older snapshot.
        slow.save("m", "1", trained);
        Thread publish = new Thread(() -> service.publish("m", "1", trained), "publish");
        publish.start();
        while (publish.getState() != Thread.State.BLOCKED && publish.isAlive()) {
            Thread.onSpinWait();
        }
        release.countDown();
        sync.join(30_000);
        publish.join(30_000);

        assertThat(registry.contains("m", "1")).isTrue();
    }

    @Test
    void anUploadPastTheWeightsSizeLimitIsRefusedBeforeItsBytesAreRead() {
        ModelService service = service();
        long max = ModelFiles.maxWeightsBytes(service.limits());
        ModelService.Part json = part(ModelFiles.toJson(TestModels.regression(1)));
        ModelService.Part huge = new ModelService.Part() {
            @Override
            public long size() {
                return max + 1;
            }

            @Override
            public byte[] bytes() {
                throw new AssertionError("read although too large");
            }
        };
        assertThatThrownBy(() -> service.upload("m", "1", json, huge)).isInstanceOf(InvalidModelException.class)
                .hasMessage("weights.safetensors: expected at most " + max + " bytes (50000000 parameters as F64, "
                        + "lrnn.models.max-parameters, plus the header) but found " + (max + 1) + " bytes");
    }

    @Test
    void anUploadThatCouldNotBeHeldInHalfTheHeapIsRefusedBeforeItsBytesAreRead() {
        LrnnProperties properties = TestProperties.of(modelDirectory, 10, DataSize.ofKilobytes(1));
        ModelService small = new ModelService(registry, store, properties, new ModelWarmUp(properties, meters),
                Clock.systemUTC(), 64L << 20);
        ModelService.Part json = part(ModelFiles.toJson(TestModels.regression(1)));
        assertThatThrownBy(() -> small.upload("m", "1", json, unreadable(12L << 20)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("weights.safetensors: expected files whose upload needs at most 32 MiB "
                        + "(half the maximum heap) but found about 36 MiB (12582912 bytes of weights");
        assertThat(store.versions()).isEmpty();
    }

    static ModelService.Part unreadable(long size) {
        return new ModelService.Part() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public byte[] bytes() {
                throw new AssertionError("read although refused");
            }
        };
    }

    static ModelService.Part part(byte[] bytes) {
        return new ModelService.Part() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public byte[] bytes() {
                return bytes;
            }
        };
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
