package io.lrnn.server.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, made with {@code initdb} and run with {@code pg_ctl} on a
 * free port in a temporary directory, so the test can stop and start it. The binaries come from
 * {@value #BIN_VARIABLE}, or else the newest {@code /usr/lib/postgresql/<version>/bin}; as root
 * they run as the {@code postgres} user (PostgreSQL refuses root), through {@code runuser}.
 */
final class PrivatePostgres implements AutoCloseable {

    static final String BIN_VARIABLE = "LRNN_TEST_PG_BIN";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final Thread stopAtExit = new Thread(this::stopQuietly, "private-postgres-stop");

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Where initdb and pg_ctl are, if anywhere; empty means "skip", with {@link #missing()} as the reason. */
    static Optional<Path> binaries() {
        String configured = System.getenv(BIN_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured.trim())).filter(PrivatePostgres::hasTools);
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.map(v -> v.resolve("bin")).filter(PrivatePostgres::hasTools)
                    .max(Comparator.comparing(PrivatePostgres::major));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why there is no server to start, when there is none. */
    static Optional<String> missing() {
        if (binaries().isEmpty()) {
            return Optional.of("No PostgreSQL binaries (initdb, pg_ctl): set " + BIN_VARIABLE
                    + " or install PostgreSQL under /usr/lib/postgresql/<version>/bin");
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return Optional.of("Running as root, and no runuser to start PostgreSQL as the postgres user");
        }
        return Optional.empty();
    }

    /** Makes a cluster in a new temporary directory and starts it; trust authentication, user postgres. */
    static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow();
        Path dir = Files.createTempDirectory("lrnn-pg");
        boolean root = isRoot();
        PrivatePostgres server = new PrivatePostgres(bin, dir, freePort(), root);
        if (root) {
            server.run(List.of("chown", "postgres", dir.toString()), false);
        }
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-sync"), true);
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        server.startServer();
        return server;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** Starts the stopped server again, on the same port and data. */
    void startServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "30", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c full_page_writes=off", "start"), true);
    }

    /** Stops the server as a crash would: connections are cut, nothing is shut down cleanly. */
    void stopServer() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"), true);
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting; the hook runs anyway.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                stopServer();
            }
        } catch (IOException | InterruptedException | AssertionError e) {
            // Best effort at exit.
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = dir.resolve("commands.log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + full + "\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("exit " + process.exitValue() + ": " + full + "\n" + Files.readString(log)
                    + (Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : ""));
        }
    }

    private static boolean hasTools(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
