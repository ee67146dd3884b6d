package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import tools.jackson.databind.JsonNode;

/**
 * server.shutdown=graceful: closing the application stops accepting connections at once but lets
 * a request in flight finish with its answer.
 */
class GracefulShutdownTest {

    static final String HOLD = "X-Test-Hold";
    static final CountDownLatch ARRIVED = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);


    /**
     * Holds a request that carries {@link #HOLD} before it reaches Spring MVC, until the test
     * releases it; the request then goes on to the real predict endpoint. Plain class: see
     * {@link BackgroundApplication}.
     */
    static class HoldingFilter {
        @Bean
        FilterRegistrationBean<Filter> holdingFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                if (((HttpServletRequest) request).getHeader(HOLD) != null) {
                    ARRIVED.countDown();
                    try {
                        RELEASE.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                chain.doFilter(request, response);
            });
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        }
    }

    @Test
    void aRequestInFlightIsAnsweredWhileNewConnectionsAreRefused() throws Exception {
        BackgroundApplication app = BackgroundApplication.start(List.of(HoldingFilter.class),
                "--lrnn.models.directory=" + ServingFixtures.REPOSITORY_MODELS);
        CompletableFuture<Void> closing = null;
        try {
            ConfigurableApplicationContext context = app.context();
            HttpTestClient http = new HttpTestClient(app.port());
            assertThat(connects(http.port())).isTrue();

            CompletableFuture<HttpTestClient.Response> inFlight = CompletableFuture.supplyAsync(() ->
                    http.postJson("/api/v1/models/demo/predict", HttpTestClient.instances(3), HOLD, "yes"));
            assertThat(ARRIVED.await(30, TimeUnit.SECONDS)).isTrue();

            closing = CompletableFuture.runAsync(context::close);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (connects(http.port()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("localhost", http.port()), 2000))
                    .isInstanceOf(ConnectException.class);
            assertThat(inFlight).isNotDone();
            assertThat(closing).isNotDone();

            RELEASE.countDown();
            HttpTestClient.Response answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.body();
            assertThat(body.get("model").asString()).isEqualTo("demo");
            assertThat(body.get("predictions")).hasSize(3);
            assertThat(body.get("predictions").get(0).get("y").isNumber()).isTrue();

            closing.get(60, TimeUnit.SECONDS);
            assertThat(context.isActive()).isFalse();
            assertThat(connects(http.port())).isFalse();
        } finally {
            RELEASE.countDown();
            if (closing == null) {
                app.close();
            }
        }
    }

    private static boolean connects(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
