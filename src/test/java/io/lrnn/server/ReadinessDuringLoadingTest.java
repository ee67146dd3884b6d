package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.models.InMemoryModelStore;
import io.lrnn.server.models.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP port opens before the models are loaded: until they are, the service is live but not
 * ready, and the models component says why.
 */
class ReadinessDuringLoadingTest {

    static final CountDownLatch LOADING = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);


    /** A store whose start-up read waits for the test. Plain class: see {@link BackgroundApplication}. */
    static class SlowStore {
        @Bean
        @Primary
        ModelStore slowStore() {
            return new InMemoryModelStore() {
                @Override
                public Map<List<String>, Instant> versions() {
                    LOADING.countDown();
                    try {
                        RELEASE.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.versions();
                }
            };
        }
    }

    @Test
    void notReadyWhileLoadingThenReady() throws Exception {
        try (BackgroundApplication app = BackgroundApplication.start(List.of(SlowStore.class),
                "--lrnn.models.directory=" + ServingFixtures.REPOSITORY_MODELS)) {
            HttpTestClient http = new HttpTestClient(app.port());
            assertThat(LOADING.await(60, TimeUnit.SECONDS)).isTrue();

            HttpTestClient.Response loading = http.get("/readyz");
            assertThat(loading.status()).isEqualTo(503);
            JsonNode components = loading.body().get("components");
            assertThat(components.get("models").get("status").asString()).isEqualTo("DOWN");
            assertThat(components.get("models").get("details").has("loading")).isTrue();
            HttpTestClient.Response live = http.get("/livez");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body().get("status").asString()).isEqualTo("UP");

            RELEASE.countDown();
            app.context();
            HttpTestClient.Response ready = http.get("/readyz");
            assertThat(ready.status()).isEqualTo(200);
            JsonNode models = ready.body().get("components").get("models");
            assertThat(models.get("status").asString()).isEqualTo("UP");
            assertThat(models.get("details").get("versions").asInt()).isEqualTo(1);
        } finally {
            RELEASE.countDown();
        }
    }
}
