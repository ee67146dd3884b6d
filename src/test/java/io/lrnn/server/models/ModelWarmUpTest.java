package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static io.lrnn.server.models.ModelServiceTest.await;
import static io.lrnn.server.models.ModelServiceTest.part;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lrnn.engine.Model;
import io.lrnn.engine.Normalization;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.server.TestModels;
import io.lrnn.server.TestProperties;
import io.lrnn.server.config.LrnnProperties;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Every version is warmed up before it is served: start-up readiness and the registry's swap wait
 * for it, and a version whose warm-up gives non-finite outputs is not loaded (the previous serves).
 */
class ModelWarmUpTest {

    @TempDir
    Path modelDirectory;

    final InMemoryModelStore store = new InMemoryModelStore();
    final ModelRegistry registry = new ModelRegistry();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    LrnnProperties properties(int iterations) {
        LrnnProperties defaults = TestProperties.of(modelDirectory, 10, DataSize.ofKilobytes(1));
        LrnnProperties.Models m = defaults.models();
        return new LrnnProperties(new LrnnProperties.Models(m.directory(), m.syncInterval(), m.maxParameters(),
                m.maxLayerWorkingSet(), m.predictHeapShare(), new LrnnProperties.WarmUp(iterations, 16,
                Duration.ofMinutes(1))), defaults.predict(), defaults.security(), defaults.jobs(), defaults.datasets(),
                defaults.store());
    }

    ModelService service(ModelWarmUp warmUp, LrnnProperties properties) {
        return new ModelService(registry, store, properties, warmUp, Clock.systemUTC());
    }

    ModelService service(int iterations) {
        LrnnProperties properties = properties(iterations);
        return service(new ModelWarmUp(properties, meters), properties);
    }

    /** A regression model whose outputs overflow to infinity for most rows: its targets are scaled by MAX_VALUE. */
    static Model overflowing() {
        Model base = TestModels.regression(5);
        double[] max = {Double.MAX_VALUE, Double.MAX_VALUE};
        return new Model(base.network(), base.inputs(), base.outputs(),
                new Normalization(new double[3], new double[] {1, 1, 1}, max, max), null);
    }

    long warmUps(String model, String outcome) {
        Timer timer = meters.find("lrnn.models.warm-up").tags("model", model, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void eachVersionIsWarmedUpOnceBeforeItIsServed() {
        TestModels.write(modelDirectory, "dir", "1", TestModels.regression(1));
        store.save("st", "1", TestModels.regression(2));
        store.save("st", "2", TestModels.regression(3));
        ModelService service = service(50);

        service.run(null);

        assertThat(registry.versionCount()).isEqualTo(3);
        assertThat(warmUps("dir", "success")).isEqualTo(1);
        assertThat(warmUps("st", "success")).isEqualTo(2);
        service.upload("up", "1", part(ModelFiles.toJson(TestModels.regression(4))),
                part(TestModels.weights(TestModels.regression(4))));
        service.warmUp("trained", "(trained by job 1)", TestModels.classifier(6));
        assertThat(warmUps("up", "success")).isEqualTo(1);
        assertThat(warmUps("trained", "success")).isEqualTo(1);
    }

    @Test
    void neitherReadinessNorTheRegistryHaveTheVersionUntilItsWarmUpIsDone() throws Exception {
        TestModels.write(modelDirectory, "m", "1", TestModels.regression(1));
        CountDownLatch warming = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LrnnProperties properties = properties(10);
        ModelWarmUp held = new ModelWarmUp(properties, meters) {
            @Override
            void run(String name, String version, Model model) {
                warming.countDown();
                await(release);
                super.run(name, version, model);
            }
        };
        ModelService service = service(held, properties);
        Thread startUp = new Thread(() -> service.run(null), "start-up");
        startUp.start();
        assertThat(warming.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(service.isLoaded()).isFalse();
        assertThat(registry.contains("m", "1")).isFalse();
        assertThat(new ModelsHealthIndicator(service, registry).health().getStatus().getCode()).isEqualTo("DOWN");

        release.countDown();
        startUp.join(30_000);
        assertThat(service.isLoaded()).isTrue();
        assertThat(registry.contains("m", "1")).isTrue();
        assertThat(warmUps("m", "success")).isEqualTo(1);
    }

    @Test
    void aVersionWithNonFiniteOutputsIsNotLoadedAndThePreviousOneServes() {
        TestModels.write(modelDirectory, "dir", "1", overflowing());
        store.save("st", "1", TestModels.regression(2));
        store.save("st", "2", overflowing());
        ModelService service = service(5);

        service.run(null);

        assertThat(registry.contains("dir")).isFalse();
        assertThat(registry.resolve("st", null).version()).isEqualTo("1");
        assertThat(service.notLoaded()).extracting(NotLoaded::name, NotLoaded::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dir", "1"), org.assertj.core.groups.Tuple.tuple("st", "2"));
        assertThat(service.notLoaded().get(0).reason()).startsWith("warm-up: expected finite outputs but the batch "
                + "path gave y").contains("Infinity");
        assertThat(warmUps("st", "failed")).isEqualTo(1);

        Model bad = overflowing();
        assertThatThrownBy(() -> service.upload("st", "3", part(ModelFiles.toJson(bad)),
                part(TestModels.weights(bad)))).isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("warm-up: expected finite outputs");
        assertThat(store.versions()).doesNotContainKey(java.util.List.of("st", "3"));
        assertThatThrownBy(() -> service.warmUp("st", "(trained by job 9)", bad))
                .isInstanceOf(InvalidModelException.class).hasMessageStartingWith("warm-up: expected finite outputs");
        assertThat(registry.entry("st").versions()).containsOnlyKeys("1");
        assertThat(warmUps("st", "failed")).isEqualTo(3);
    }

    @Test
    void zeroIterationsDisableTheWarmUp() {
        TestModels.write(modelDirectory, "dir", "1", overflowing());
        ModelService service = service(0);

        service.run(null);

        assertThat(registry.contains("dir", "1")).isTrue();
        assertThat(meters.find("lrnn.models.warm-up").timer()).isNull();
    }

    @Test
    void syntheticRowsAreTheMeansThenSeededRowsWithinTwoStandardDeviations() {
        Normalization normalization = new Normalization(new double[] {10, -5}, new double[] {2, 0.5}, new double[0],
                new double[0]);
        double[][] rows = ModelWarmUp.rows(normalization, 16);

        assertThat(rows).hasDimensions(16, 2);
        assertThat(rows[0]).containsExactly(10, -5);
        assertThat(ModelWarmUp.rows(normalization, 16)).isDeepEqualTo(rows);
        for (int b = 1; b < rows.length; b++) {
            assertThat(rows[b][0]).isBetween(6.0, 14.0).isNotEqualTo(rows[b - 1][0]);
            assertThat(rows[b][1]).isBetween(-6.0, -4.0);
        }
    }
}
