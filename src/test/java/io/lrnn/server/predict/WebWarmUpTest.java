package io.lrnn.server.predict;

import static io.lrnn.server.PrometheusSamples.parse;
import static io.lrnn.server.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.PrometheusSamples.Sample;
import io.lrnn.server.ServingFixtures;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web warm-up over real loopback HTTP, with predict protected by the API key: its requests are
 * answered before readiness is reported, they leave no predict or HTTP metric behind, and one that
 * fails (refused, an error status, no answer in time) never fails start-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"lrnn.security.api-key=warm-key", "lrnn.security.protect-predict=true"})
class WebWarmUpTest {

    /** Requests the warm-up had answered when readiness became ACCEPTING_TRAFFIC (-1 until then). */
    static final AtomicInteger ANSWERED_AT_READINESS = new AtomicInteger(-1);

    @TestConfiguration
    static class RecordReadiness {
        @Bean
        ApplicationListener<AvailabilityChangeEvent<?>> recordReadiness() {
            return event -> {
                if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                    ANSWERED_AT_READINESS.set(((ApplicationContext) event.getSource()).getBean(WebWarmUp.class)
                            .answered());
                }
            };
        }
    }

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    WebWarmUp warmUp;

    @Autowired
    ModelRegistry registry;

    @Test
    void answeredBeforeReadinessAndNotCounted() {
        assertThat(ANSWERED_AT_READINESS.get()).as("warm-up requests answered 200 before readiness")
                .isGreaterThanOrEqualTo(4).isEqualTo(warmUp.answered());

        HttpTestClient http = new HttpTestClient(port, "Authorization", "Bearer warm-key");
        List<Sample> before = parse(http.get("/actuator/prometheus").raw());
        assertThat(before).as("no predict or predict-path HTTP metric before a client's request").noneMatch(s ->
                s.name().startsWith("lrnn_predict_seconds") || s.name().startsWith("lrnn_predict_rows")
                        || s.name().startsWith("http_server_requests_seconds")
                        && s.labels().getOrDefault("uri", "").contains("/models/"));

        assertThat(http.postJson("/api/v1/models/demo/predict", HttpTestClient.instances(1)).status()).isEqualTo(200);
        List<Sample> after = parse(http.get("/actuator/prometheus").raw());
        assertThat(value(after, "lrnn_predict_seconds_count",
                Map.of("model", "demo", "api", "native", "outcome", "success"))).as("the client's request only")
                .isEqualTo(1.0);
    }

    @Test
    void aRefusedConnectionEndsTheWarmUpQuietly() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(warmUp.warm(URI.create("http://127.0.0.1:" + closed), demo())).isZero();
    }

    @Test
    void anErrorStatusOrNoAnswerInTimeEndsTheWarmUpQuietly() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.createContext("/v2/", exchange -> {
            try {
                release.await(); // never answers before the warm-up's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(warmUp.warm(base, demo())).as("a 500 stops at the first request").isZero();
            server.removeContext("/api/");
            server.createContext("/api/", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            assertThat(warmUp.warm(base, demo())).as("the two native requests, then a timeout").isEqualTo(2);
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    private LoadedModel demo() {
        return registry.resolve("demo", null);
    }
}
