package io.lrnn.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.LrnnServeApplication;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The application in a JVM of its own, as it runs in production: started from the test's
 * classpath (without the test classes) in a working directory of the test's choosing, its output
 * in a log file, and never outliving the test JVM.
 */
final class ServerProcess {

    static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private ServerProcess() {
    }

    /** Starts the application in {@code workingDirectory} with {@code arguments}, logging to {@code log}. */
    static Process start(Path workingDirectory, Path log, List<String> arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only: starts in about half the time; that it trains slower only keeps jobs running longer.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", applicationClasspath(), LrnnServeApplication.class.getName(),
                "--server.port=0", "--lrnn.grpc.port=0"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** The test JVM's classpath without the test classes and resources: the application and its libraries. */
    static String applicationClasspath() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        List<String> kept = Arrays.stream(entries).filter(e -> !Path.of(e).endsWith(Path.of("target", "test-classes")))
                .toList();
        assertThat(kept).as("the test classpath lists target/classes (surefire sets java.class.path)")
                .anyMatch(e -> Path.of(e).endsWith(Path.of("target", "classes")));
        return String.join(File.pathSeparator, kept);
    }

    /** Waits until the process serves and is ready; returns its port (the last one its log names). */
    static int awaitReady(Process process, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher port = PORT.matcher(Files.readString(log));
            int found = -1;
            while (port.find()) {
                found = Integer.parseInt(port.group(1));
            }
            if (found > 0) {
                // The port opens before start-up finishes (models load after it); wait for readiness.
                HttpTestClient client = new HttpTestClient(found);
                StoreScenarios.await("the server process is ready", Duration.ofNanos(deadline - System.nanoTime()),
                        () -> ready(client), ready -> ready);
                return found;
            }
            assertThat(process.isAlive()).as("the server process runs").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the server process did not open its port within " + timeout);
    }

    private static boolean ready(HttpTestClient client) {
        try {
            return client.get("/readyz").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The last lines of a log, for a failure message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
