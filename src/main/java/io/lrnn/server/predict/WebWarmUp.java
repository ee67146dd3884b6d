package io.lrnn.server.predict;

import io.lrnn.engine.Model;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelEntry;
import io.lrnn.server.models.ModelRegistry;
import io.lrnn.server.models.ModelService;
import io.lrnn.server.models.ModelWarmUp;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sends a few real predict requests over loopback HTTP before the service reports ready, so the
 * first client request does not pay for what the engine's warm-up ({@link ModelWarmUp}) leaves
 * cold: the DispatcherServlet's initialisation, the filters, the JSON reading and writing and their
 * compiled code. It runs after {@link ModelService} has loaded the versions
 * (both are runners, and Spring reports readiness only once every runner has returned), against
 * the default version of the first model: a 1-row and a small batch to the native predict and to
 * the V2 infer endpoint, up to {@value #MAX_ROUNDS} rounds within {@code lrnn.models.warm-up.max-duration},
 * with the API key when predict is protected. It never stops start-up: a failed or slow request
 * (timeouts of {@value #TIMEOUT_SECONDS} s) is logged as a warning and ends the warm-up. It does
 * nothing when the warm-up iterations are 0, no model is loaded, or no web server runs (a mock
 * web environment). Afterwards it removes the meters its requests created ({@code lrnn.predict},
 * {@code lrnn.predict.rows} and {@code http.server.requests} of that model's predict paths), so
 * the metrics count clients' requests only.
 */
@Component
@Order(WebWarmUp.ORDER)
class WebWarmUp implements ApplicationRunner {

    /** After {@link ModelService}'s runner, which loads the versions. */
    static final int ORDER = ModelService.ORDER + 1;
    static final int MAX_ROUNDS = 20;
    static final int TIMEOUT_SECONDS = 2;
    private static final int BATCH = 8;
    private static final Logger log = LoggerFactory.getLogger(WebWarmUp.class);
    private static final Set<String> PREDICT_METERS = Set.of("lrnn.predict", "lrnn.predict.rows");

    private final ApplicationContext context;
    private final ModelRegistry registry;
    private final MeterRegistry meters;
    private final LrnnProperties properties;
    private final AtomicInteger answered = new AtomicInteger();

    WebWarmUp(ApplicationContext context, ModelRegistry registry, MeterRegistry meters, LrnnProperties properties) {
        this.context = context;
        this.registry = registry;
        this.meters = meters;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<ModelEntry> entries = registry.entries();
        WebServer server = context instanceof WebServerApplicationContext web ? web.getWebServer() : null;
        if (properties.models().warmUp().iterations() == 0 || entries.isEmpty() || server == null
                || server.getPort() <= 0) {
            return;
        }
        try {
            ModelEntry entry = entries.get(0);
            answered.addAndGet(warm(URI.create("http://127.0.0.1:" + server.getPort()),
                    entry.versions().get(entry.defaultVersion())));
        } catch (RuntimeException e) {
            log.warn("Web warm-up skipped, serving anyway: {}", e.toString());
        }
    }

    /** Requests of the start-up warm-up that answered 200, for tests. */
    int answered() {
        return answered.get();
    }

    /** Warms the predict paths of {@code loaded} at {@code base}; answers how many requests got a 200. */
    int warm(URI base, LoadedModel loaded) {
        long start = System.nanoTime();
        long maxNanos = properties.models().warmUp().maxDuration().toNanos();
        Model model = loaded.model();
        double[][] rows = ModelWarmUp.rows(model.normalization(), Math.min(BATCH, properties.predict().maxBatch()));
        List<HttpRequest> requests = List.of(
                post(base.resolve("/api/v1/models/" + loaded.name() + "/predict"), instances(rows, 1)),
                post(base.resolve("/api/v1/models/" + loaded.name() + "/predict"), instances(rows, rows.length)),
                post(base.resolve("/v2/models/" + loaded.name() + "/infer"), inputs(rows, 1)),
                post(base.resolve("/v2/models/" + loaded.name() + "/infer"), inputs(rows, rows.length)));
        int ok = 0;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
        try {
            for (int round = 0; round < MAX_ROUNDS && System.nanoTime() - start < maxNanos; round++) {
                for (HttpRequest request : requests) {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        log.warn("Web warm-up stopped: {} {} answered {}, expected 200: {}", request.method(),
                                request.uri().getPath(), response.statusCode(), response.body());
                        return ok;
                    }
                    ok++;
                }
            }
            log.info("Web warm-up of model {} version {}: {} predict requests over HTTP in {} ms", loaded.name(),
                    loaded.version(), ok, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Web warm-up interrupted after {} requests", ok);
        } catch (Exception e) {
            log.warn("Web warm-up stopped after {} requests, serving anyway: {}", ok, e.toString());
        } finally {
            forget(loaded.name());
        }
        return ok;
    }

    private HttpRequest post(URI uri, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        String key = properties.security().apiKey();
        if (properties.security().protectPredict() && key != null && !key.isBlank()) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.build();
    }

    /** The native body of the first {@code count} rows. */
    static String instances(double[][] rows, int count) {
        return Arrays.stream(rows, 0, count).map(WebWarmUp::row)
                .collect(Collectors.joining(", ", "{\"instances\": [", "]}"));
    }

    /** The V2 body of the first {@code count} rows, one FP64 tensor of shape [count, width]. */
    static String inputs(double[][] rows, int count) {
        return "{\"inputs\": [{\"name\": \"input\", \"shape\": [" + count + ", " + rows[0].length
                + "], \"datatype\": \"FP64\", \"data\": [" + Arrays.stream(rows, 0, count).map(WebWarmUp::row)
                .collect(Collectors.joining(", ")) + "]}]}";
    }

    private static String row(double[] row) {
        return Arrays.stream(row).mapToObj(Double::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Removes the meters the warm-up's requests to {@code model} created, so they count clients only. */
    private void forget(String model) {
        for (Meter meter : List.copyOf(meters.getMeters())) {
            Meter.Id id = meter.getId();
            String uri = id.getTag("uri");
            boolean predict = PREDICT_METERS.contains(id.getName()) && model.equals(id.getTag("model"));
            boolean http = id.getName().equals("http.server.requests") && uri != null
                    && (uri.startsWith("/api/v1/models/{name}") || uri.startsWith("/v2/models/{name}"));
            if (predict || http) {
                meters.remove(meter);
            }
        }
    }
}
