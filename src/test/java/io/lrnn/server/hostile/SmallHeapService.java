package io.lrnn.server.hostile;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.LrnnServeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole service in a JVM of its own with a small heap ({@value #HEAP}, and
 * {@code -XX:+ExitOnOutOfMemoryError} as the image runs it, so running out of memory ends the
 * process where a test sees it), a fresh H2 file and the repository's models, for hostile-input
 * suites over real HTTP. Use it as an extension, started once per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SmallHeapService SERVICE = SmallHeapService.withArgs("--lrnn.predict.memory-share=0.1");
 * ... SERVICE.http().postJson(...), SERVICE.raw(), SERVICE.assertAlive()
 * }</pre>
 *
 * or by hand with {@link #start} and {@link #stop}. The child's output goes to {@link #log()}.
 */
public final class SmallHeapService implements BeforeAllCallback, AfterAllCallback {

    public static final String HEAP = "-Xmx256m";
    /**
     * The {@code @ResourceLock} every suite using this service holds, so that two small-heap JVMs
     * never run at once (each takes a core and a few hundred MB) should classes run in parallel.
     */
    public static final String LOCK = "io.lrnn.server.hostile.SmallHeapService";
    static final Path MODELS = Path.of("models").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> args;
    private Process process;
    private Path directory;
    private int port;

    private SmallHeapService(List<String> args) {
        this.args = List.copyOf(args);
    }

    /** A service that {@link #start()} runs with these extra {@code --name=value} arguments. */
    public static SmallHeapService withArgs(String... args) {
        return new SmallHeapService(List.of(args));
    }

    /** Starts a service with these extra arguments and waits until it is ready. */
    public static SmallHeapService start(String... args) {
        SmallHeapService service = withArgs(args);
        service.start();
        return service;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Launches the JVM and waits for {@code /readyz}; fails with the child's log if it dies or hangs. */
    public void start() {
        try {
            directory = Files.createTempDirectory("lrnn-hostile-");
            port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-cp", System.getProperty("java.class.path"),
                    LrnnServeApplication.class.getName(),
                    "--server.port=" + port, "--lrnn.grpc.port=0",
                    "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("lrnn")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "--lrnn.models.directory=" + MODELS,
                    "--spring.main.banner-mode=off"));
            command.addAll(args);
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("service.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Stops the JVM (SIGTERM, then SIGKILL after 20 s) and removes its files. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public HttpTestClient http() {
        return new HttpTestClient(port);
    }

    /** A raw-socket client, for bodies the JDK client will not send or answers it cannot read. */
    public RawHttp raw() {
        return new RawHttp(port);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The child's output so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(directory.resolve("service.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Fails unless the process runs and {@code /livez} answers 200 within 5 s. */
    public void assertAlive() {
        if (!isAlive()) {
            throw new AssertionError("the service's JVM has exited with " + process.exitValue() + "; log:\n" + tail());
        }
        int status = status("/livez", Duration.ofSeconds(5));
        if (status != 200) {
            throw new AssertionError("/livez answered " + status + "; log:\n" + tail());
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue()
                        + " while starting; log:\n" + tail());
            }
            if (status("/readyz", Duration.ofSeconds(2)) == 200) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("the service was not ready within " + START_TIMEOUT + "; log:\n" + tail());
    }

    /** The status of a GET, or -1 when nothing answers. */
    private int status(String path, Duration timeout) {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String tail() {
        String log = log();
        return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
