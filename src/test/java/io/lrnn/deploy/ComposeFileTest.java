package io.lrnn.deploy;

import static io.lrnn.deploy.DeploymentFiles.at;
import static io.lrnn.deploy.DeploymentFiles.list;
import static io.lrnn.deploy.DeploymentFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, parsed: the service built from the Dockerfile waits for a healthy
 * PostgreSQL 16 and uses it, its port and API key come from .env (with defaults when there is
 * none), and .env.example lists exactly the variables compose reads.
 */
class ComposeFileTest {

    private static final Map<String, Object> COMPOSE = DeploymentFiles.yaml().load(DeploymentFiles.read("docker-compose.yml"));
    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}; {@code $$} is a literal dollar. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    @Test
    void serviceIsBuiltHereAndWaitsForAHealthyPostgres() {
        Map<String, Object> lrnn = service("lrnn");
        Object build = lrnn.get("build");
        assertThat(build instanceof Map<?, ?> b ? b.get("context") : build).isEqualTo(".");
        assertThat(at(lrnn, "depends_on.postgres.condition")).isEqualTo("service_healthy");

        Map<String, Object> postgres = service("postgres");
        assertThat(postgres.get("image")).isEqualTo("postgres:16");
        assertThat(String.valueOf(at(postgres, "healthcheck.test"))).contains("pg_isready");
        // Its data lives in a named volume.
        String volume = String.valueOf(list(postgres, "volumes").get(0));
        assertThat(volume).endsWith(":/var/lib/postgresql/data");
        assertThat(map(COMPOSE, "volumes")).containsKey(volume.substring(0, volume.indexOf(':')));
    }

    @Test
    void serviceUsesTheComposeDatabase() {
        Map<String, String> env = interpolated(environment("lrnn"), Map.of());
        Map<String, String> postgres = interpolated(environment("postgres"), Map.of());

        assertThat(env.get("LRNN_DATABASE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(env.get("LRNN_DATABASE_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get("LRNN_DATABASE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));

        // The same when .env changes them.
        Map<String, String> dotEnv = Map.of("POSTGRES_DB", "db1", "POSTGRES_USER", "u1", "POSTGRES_PASSWORD", "p1");
        Map<String, String> changed = interpolated(environment("lrnn"), dotEnv);
        assertThat(changed).containsEntry("LRNN_DATABASE_URL", "jdbc:postgresql://postgres:5432/db1")
                .containsEntry("LRNN_DATABASE_USER", "u1").containsEntry("LRNN_DATABASE_PASSWORD", "p1");
        assertThat(interpolated(environment("postgres"), dotEnv))
                .containsEntry("POSTGRES_DB", "db1").containsEntry("POSTGRES_USER", "u1").containsEntry("POSTGRES_PASSWORD", "p1");
    }

    @Test
    void portAndApiKeyComeFromDotEnvWithDefaults() {
        String port = String.valueOf(list(service("lrnn"), "ports").get(0));
        int applicationPort = DeploymentFiles.applicationPort();

        // Without a .env: published on localhost at the application's port, no API key.
        assertThat(interpolate(port, Map.of())).isEqualTo("127.0.0.1:" + applicationPort + ":" + applicationPort);
        assertThat(interpolated(environment("lrnn"), Map.of())).containsEntry("LRNN_API_KEY", "");
        // With one.
        assertThat(interpolate(port, Map.of("LRNN_PORT", "9090", "LRNN_BIND_ADDRESS", "0.0.0.0")))
                .isEqualTo("0.0.0.0:9090:" + applicationPort);
        assertThat(interpolated(environment("lrnn"), Map.of("LRNN_API_KEY", "s3cret")))
                .containsEntry("LRNN_API_KEY", "s3cret");
    }

    @Test
    void serviceRunsReadOnlyAndRestarts() {
        Map<String, Object> lrnn = service("lrnn");
        assertThat(lrnn.get("read_only")).isEqualTo(true);
        assertThat(list(lrnn, "tmpfs")).contains("/tmp");
        assertThat(list(lrnn, "cap_drop")).contains("ALL");
        assertThat(lrnn.get("restart")).isEqualTo("unless-stopped");
        assertThat(service("postgres").get("restart")).isEqualTo("unless-stopped");
    }

    @Test
    void envExampleListsExactlyTheVariablesComposeReads() {
        Set<String> used = new TreeSet<>();
        Matcher m = VARIABLE.matcher(DeploymentFiles.read("docker-compose.yml"));
        while (m.find()) {
            if (m.group(1) != null) {
                used.add(m.group(1));
            }
        }
        Map<String, String> example = dotEnv(DeploymentFiles.read(".env.example"));
        assertThat(example.keySet()).containsExactlyInAnyOrderElementsOf(used);

        // The example's values are the compose defaults, so copying it changes nothing.
        for (String name : used) {
            Matcher d = Pattern.compile("\\$\\{" + name + ":-([^}]*)}").matcher(DeploymentFiles.read("docker-compose.yml"));
            while (d.find()) {
                assertThat(example.get(name)).as(".env.example %s", name).isEqualTo(d.group(1));
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Map<String, Object> service(String name) {
        return map(COMPOSE, "services." + name);
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(service), "environment").forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    private static Map<String, String> interpolated(Map<String, String> values, Map<String, String> dotEnv) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, interpolate(v, dotEnv)));
        return result;
    }

    /** Compose's interpolation: {@code :-} defaults when unset or empty, {@code -} when unset. */
    static String interpolate(String text, Map<String, String> dotEnv) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                String value = dotEnv.get(m.group(1));
                boolean useDefault = m.group(2) != null
                        && (value == null || (m.group(2).equals(":-") && value.isEmpty()));
                replacement = useDefault ? m.group(3) : value == null ? "" : value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> dotEnv(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
            }
        }
        return values;
    }
}
