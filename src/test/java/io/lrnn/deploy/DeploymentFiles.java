package io.lrnn.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files (Dockerfile, docker-compose.yml, the Helm chart) and what they must agree
 * with: the application's own defaults, read from the application.yaml on the classpath.
 */
final class DeploymentFiles {

    /** {@code ${NAME:default}} in application.yaml; the default runs to the closing brace. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):([^}]*)}");

    private DeploymentFiles() {
    }

    /** The project's top folder (Maven runs the tests there; found upwards from the working folder). */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("Dockerfile"))) {
                return p;
            }
        }
        throw new IllegalStateException("No folder with pom.xml and Dockerfile at or above " + dir);
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's configuration as shipped (src/main/resources/application.yaml). */
    static String applicationYaml() {
        try (InputStream in = DeploymentFiles.class.getResourceAsStream("/application.yaml")) {
            if (in == null) {
                throw new IllegalStateException("application.yaml is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every environment variable application.yaml reads, with its default ({@code ${NAME:default}}). */
    static Map<String, String> applicationEnvironmentDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(applicationYaml());
        while (m.find()) {
            defaults.putIfAbsent(m.group(1), m.group(2));
        }
        return defaults;
    }

    /** The default of a property whose value is {@code ${NAME:default}}, e.g. {@code server.port}. */
    static String applicationDefault(String property) {
        Object value = yaml().load(applicationYaml());
        for (String key : property.split("\\.")) {
            if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new IllegalArgumentException(property + " is not in application.yaml");
            }
            value = map.get(key);
        }
        String text = String.valueOf(value);
        Matcher m = PLACEHOLDER.matcher(text);
        return m.matches() ? m.group(2) : text;
    }

    /** The port the application listens on by default ({@code server.port}). */
    static int applicationPort() {
        return Integer.parseInt(applicationDefault("server.port"));
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The YAML documents of a multi-document text, without empty ones. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc instanceof Map<?, ?> map) {
                docs.add((Map<String, Object>) map);
            }
        }
        return docs;
    }

    /** The value at a dotted path of maps ({@code spec.template.spec}); null when a step is missing. */
    static Object at(Object node, String path) {
        Object value = node;
        for (String key : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String path) {
        Object value = at(node, path);
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("Expected a mapping at " + path + " but found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String path) {
        Object value = at(node, path);
        if (!(value instanceof List<?>)) {
            throw new AssertionError("Expected a list at " + path + " but found " + value);
        }
        return (List<Object>) value;
    }
}
