package io.lrnn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's key lines, read as instructions: JDK build and JRE runtime of Java 21+, the
 * layered jar copied in Spring Boot's order, a non-root user, container-aware JVM options and
 * settings that agree with application.yaml; and a .dockerignore that sends only what the build
 * needs. (Building and running the image is {@link ContainerImageTest}, where Docker exists.)
 */
class DockerfileTest {

    private static final List<Instruction> INSTRUCTIONS = Instruction.parse(DeploymentFiles.read("Dockerfile"));

    @Test
    void buildsWithTheMavenWrapperOnAJdkAndRunsOnAJre21() {
        List<Instruction> froms = all("FROM");
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);

        Matcher build = Pattern.compile("eclipse-temurin:(\\d+)-jdk\\b.*").matcher(froms.get(0).arguments());
        assertThat(build.matches()).as("build stage %s", froms.get(0)).isTrue();
        assertThat(Integer.parseInt(build.group(1))).isGreaterThanOrEqualTo(21);
        Matcher runtime = Pattern.compile("eclipse-temurin:(\\d+)-jre\\S*").matcher(runtimeStage().get(0).arguments());
        assertThat(runtime.matches()).as("runtime stage %s", runtimeStage().get(0)).isTrue();
        assertThat(Integer.parseInt(runtime.group(1))).isGreaterThanOrEqualTo(21);

        assertThat(all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("./mvnw -B").contains("-DskipTests").contains("package"));
        assertThat(all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("-Djarmode=tools").contains("extract --layers --launcher"));
    }

    @Test
    void copiesTheLayersInSpringBootsOrderIntoTheRuntime() {
        List<String> layers = new ArrayList<>();
        Pattern layerCopy = Pattern.compile("--from=\\S+ \\S*/(dependencies|spring-boot-loader|snapshot-dependencies|application)/ .*");
        for (Instruction copy : runtimeStage()) {
            Matcher m = layerCopy.matcher(copy.arguments());
            if (copy.keyword().equals("COPY") && m.matches()) {
                layers.add(m.group(1));
            }
        }
        assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(last("ENTRYPOINT").arguments()).contains("org.springframework.boot.loader.launch.JarLauncher");
    }

    @Test
    void runsAsAFixedNonRootUser() {
        List<Instruction> runtime = runtimeStage();
        Instruction user = runtime.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow();
        assertThat(imageUid()).isPositive();
        assertThat(runtime.indexOf(user)).isLessThan(runtime.indexOf(last("ENTRYPOINT")));
        // The user exists in the image and owns the data folder.
        assertThat(runtime).anySatisfy(run -> assertThat(run.arguments())
                .contains("useradd").contains("--uid " + imageUid()).contains("chown " + imageUid()));
    }

    @Test
    void jvmIsContainerAwareAndExitsOnOutOfMemory() {
        String options = env().get("JAVA_TOOL_OPTIONS");
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+UseContainerSupport").contains("-Djava.io.tmpdir=/tmp");
        assertThat(env()).containsEntry("SPRING_THREADS_VIRTUAL_ENABLED", "true");
    }

    @Test
    void settingsAgreeWithTheApplication() {
        // The embedded H2 database moves from ./data to the /data volume, with the same options.
        String applicationUrl = DeploymentFiles.applicationEnvironmentDefaults().get("LRNN_DATABASE_URL");
        assertThat(applicationUrl).startsWith("jdbc:h2:file:./data/");
        assertThat(env()).containsEntry("LRNN_DATABASE_URL", applicationUrl.replace("file:./data/", "file:/data/"));
        assertThat(all("VOLUME")).anySatisfy(v -> assertThat(v.arguments()).contains("/data"));

        // The example model is in the image where the service looks for models.
        String modelsDirectory = env().get("LRNN_MODELS_DIRECTORY");
        assertThat(runtimeStage()).anySatisfy(copy -> assertThat(copy.arguments()).isEqualTo("models/ " + modelsDirectory + "/"));
        assertThat(DeploymentFiles.file("models/demo/1/model.json")).isRegularFile();

        assertThat(last("EXPOSE").arguments()).isEqualTo(DeploymentFiles.applicationPort() + " "
                + DeploymentFiles.applicationDefault("lrnn.grpc.port"));
    }

    @Test
    void dockerignoreSendsOnlyWhatTheBuildCopies() {
        DockerIgnore ignore = DockerIgnore.parse(DeploymentFiles.read(".dockerignore"));

        for (String needed : List.of("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties",
                "src/main/java/io/lrnn/server/LrnnServeApplication.java", "src/main/resources/application.yaml",
                "models/demo/1/model.json", "models/demo/1/weights.safetensors")) {
            assertThat(ignore.excludes(needed)).as("%s must reach the build", needed).isFalse();
        }
        for (String unwanted : List.of(".git/HEAD", "target/lrnn-serve.jar", "data/lrnn.mv.db", ".env",
                "helm/values.yaml", "docs/deployment.md", "README.md")) {
            assertThat(ignore.excludes(unwanted)).as("%s must stay out of the build context", unwanted).isTrue();
        }
        // Every file the Dockerfile copies from the context exists and is not ignored.
        for (Instruction copy : all("COPY")) {
            if (copy.arguments().startsWith("--from=")) {
                continue;
            }
            String[] parts = copy.arguments().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                String source = parts[i].replaceAll("/$", "");
                assertThat(Files.exists(DeploymentFiles.file(source))).as("COPY source %s", source).isTrue();
                assertThat(ignore.excludes(source)).as("COPY source %s is in .dockerignore", source).isFalse();
            }
        }
    }

    /** The numeric uid of the runtime stage's last USER (also the chart's runAsUser). */
    static int imageUid() {
        String user = runtimeStage().stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("The runtime stage sets no USER")).arguments();
        assertThat(user).as("USER must be numeric, so Kubernetes can verify runAsNonRoot").matches("\\d+(:\\d+)?");
        return Integer.parseInt(user.split(":")[0]);
    }

    // ---- reading the Dockerfile -----------------------------------------------------------------

    /** The instructions from the last FROM on. */
    private static List<Instruction> runtimeStage() {
        int from = 0;
        for (int i = 0; i < INSTRUCTIONS.size(); i++) {
            if (INSTRUCTIONS.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return INSTRUCTIONS.subList(from, INSTRUCTIONS.size());
    }

    private static List<Instruction> all(String keyword) {
        return INSTRUCTIONS.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    private static Instruction last(String keyword) {
        List<Instruction> found = all(keyword);
        assertThat(found).as("%s instructions", keyword).isNotEmpty();
        return found.get(found.size() - 1);
    }

    /** The runtime stage's environment ({@code ENV KEY=value KEY="quoted value"} ...). */
    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
        for (Instruction instruction : runtimeStage()) {
            if (instruction.keyword().equals("ENV")) {
                Matcher m = pair.matcher(instruction.arguments());
                while (m.find()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
        }
        return env;
    }

    /** One instruction: its keyword and its arguments with continuation lines joined. */
    record Instruction(String keyword, String arguments) {

        static List<Instruction> parse(String dockerfile) {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : dockerfile.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String text = current.toString().strip().replaceAll("\\s+", " ");
                current.setLength(0);
                if (!text.isEmpty()) {
                    int space = text.indexOf(' ');
                    instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1)));
                }
            }
            return instructions;
        }
    }

    /**
     * .dockerignore's rules as Docker applies them: patterns are matched against a path and each
     * of its parent folders, {@code *} within a name, {@code **} across folders, and the last
     * matching pattern wins ({@code !} re-includes).
     */
    record DockerIgnore(List<Map.Entry<Pattern, Boolean>> rules) {

        static DockerIgnore parse(String text) {
            List<Map.Entry<Pattern, Boolean>> rules = new ArrayList<>();
            for (String line : text.split("\n")) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean exclude = !pattern.startsWith("!");
                pattern = (exclude ? pattern : pattern.substring(1)).replaceAll("^/+|/+$", "");
                rules.add(Map.entry(Pattern.compile(toRegex(pattern)), exclude));
            }
            return new DockerIgnore(rules);
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (Map.Entry<Pattern, Boolean> rule : rules) {
                if (matchesItselfOrAParent(rule.getKey(), path)) {
                    excluded = rule.getValue();
                }
            }
            return excluded;
        }

        private static boolean matchesItselfOrAParent(Pattern pattern, String path) {
            String candidate = path;
            while (true) {
                if (pattern.matcher(candidate).matches()) {
                    return true;
                }
                int slash = candidate.lastIndexOf('/');
                if (slash < 0) {
                    return false;
                }
                candidate = candidate.substring(0, slash);
            }
        }

        private static String toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (glob.startsWith("**/", i)) {
                    regex.append("(.*/)?");
                    i += 2;
                } else if (glob.startsWith("**", i)) {
                    regex.append(".*");
                    i += 1;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }
    }
}
