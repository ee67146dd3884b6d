package io.lrnn.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for the store tests, with a schema of its own per test class. The server is
 * the one named by {@value #URL_VARIABLE} (CI sets it to the machine's PostgreSQL), or else a
 * Testcontainers PostgreSQL 16 when Docker is available; with neither, the test class is skipped
 * with a reason that says what to set. Register it as a static field:
 * {@code @RegisterExtension static final PostgresTestDatabase DB = new PostgresTestDatabase();}.
 * Before the class it creates the schema {@code t_<random>}; {@link #url()} selects it with
 * {@code currentSchema}, so the class never sees other classes' rows. After the class it closes
 * the data sources it handed out and drops the schema.
 */
public final class PostgresTestDatabase implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    /** The JDBC URL of the server to use, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    public static final String URL_VARIABLE = "LRNN_TEST_DATABASE_URL";
    /** Optional user and password, when the URL does not carry them. */
    public static final String USER_VARIABLE = "LRNN_TEST_DATABASE_USER";
    public static final String PASSWORD_VARIABLE = "LRNN_TEST_DATABASE_PASSWORD";

    private static final String SKIP_REASON = "No PostgreSQL for the store tests: set " + URL_VARIABLE
            + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres; .ci/run does) or make Docker available "
            + "for Testcontainers";

    /** The server, resolved once per JVM; null when there is none. */
    private static Server server;
    private static boolean resolved;

    private final List<HikariDataSource> dataSources = new ArrayList<>();
    private String schema;

    private record Server(String url, String user, String password) {
    }

    /** Skips the class (and so its {@code @BeforeAll} methods) when there is no PostgreSQL, saying why. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (server() != null) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + server.url());
        }
        return ConditionEvaluationResult.disabled(SKIP_REASON);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        Server found = server();
        schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(found.url(), "CREATE SCHEMA " + schema);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        dataSources.forEach(HikariDataSource::close);
        dataSources.clear();
        if (schema != null) {
            execute(server.url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            schema = null;
        }
    }

    /** The schema of this test class. */
    public String schema() {
        return schema;
    }

    /** A JDBC URL of the server whose current schema is this class's schema. */
    public String url() {
        String base = server.url();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String user() {
        return server.user() == null ? "" : server.user();
    }

    public String password() {
        return server.password() == null ? "" : server.password();
    }

    /** Command-line arguments that point the application at this class's schema. */
    public List<String> springArguments() {
        return List.of("--spring.datasource.url=" + url(), "--spring.datasource.username=" + user(),
                "--spring.datasource.password=" + password());
    }

    /** A pooled data source on this class's schema, closed after the class. */
    public HikariDataSource dataSource(int poolSize) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url());
        if (server.user() != null) {
            ds.setUsername(server.user());
        }
        if (server.password() != null) {
            ds.setPassword(server.password());
        }
        ds.setMaximumPoolSize(poolSize);
        ds.setPoolName("test-" + schema);
        dataSources.add(ds);
        return ds;
    }

    private static synchronized Server server() {
        if (!resolved) {
            resolved = true;
            server = find();
        }
        return server;
    }

    private static Server find() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new Server(url.trim(), System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE));
        }
        if (!dockerAvailable()) {
            // Once per JVM, on the console: the skipped tests' reports carry the same reason.
            System.err.println("[store tests skipped] " + SKIP_REASON);
            return null;
        }
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        // Stopped by Testcontainers' Ryuk (or at JVM exit) after the last test class.
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        Properties properties = new Properties();
        if (server.user() != null) {
            properties.setProperty("user", server.user());
        }
        if (server.password() != null) {
            properties.setProperty("password", server.password());
        }
        try (Connection connection = DriverManager.getConnection(url, properties);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
