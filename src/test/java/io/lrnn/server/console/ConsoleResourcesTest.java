package io.lrnn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console over real HTTP with an API key configured: its page, scripts and chart library
 * load without the key, with the console's security headers; the API behind it still needs the key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lrnn.security.api-key=resources-key")
class ConsoleResourcesTest {

    @LocalServerPort
    int port;

    @Test
    void theRootServesTheConsolePageWithItsSecurityHeaders() {
        HttpTestClient.Response page = new HttpTestClient(port).get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.raw()).contains("<title>LRNN Serve console</title>", "console/js/app.js");
        assertThat(page.header("Content-Security-Policy")).hasValue(ConsoleConfiguration.CONTENT_SECURITY_POLICY);
        assertThat(page.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.header("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void scriptsStylesAndTheChartLibraryLoadWithoutTheKey() {
        HttpTestClient http = new HttpTestClient(port);
        for (String path : new String[] {"/console/js/app.js", "/console/js/pages/job.js", "/console/console.css",
                "/webjars/uplot/dist/uPlot.esm.js", "/webjars/uplot/dist/uPlot.min.css"}) {
            HttpTestClient.Response answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.raw()).as(path).isNotBlank();
        }
        assertThat(http.get("/console/js/app.js").header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(http.get("/console/js/app.js").header("Content-Security-Policy")).isPresent();
    }

    @Test
    void theApiAndUnknownPathsStillNeedTheKey() {
        HttpTestClient http = new HttpTestClient(port);
        assertThat(http.get("/api/v1/models").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/training-jobs").status()).isEqualTo(401);
        assertThat(http.get("/index.html").status()).isEqualTo(401);
        assertThat(http.get("/console/../api/v1/models").status()).isEqualTo(401);
        assertThat(http.get("/console/missing.js").status()).isEqualTo(404);
    }
}
