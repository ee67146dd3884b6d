package io.lrnn.deploy;

import static io.lrnn.deploy.DeploymentFiles.at;
import static io.lrnn.deploy.DeploymentFiles.list;
import static io.lrnn.deploy.DeploymentFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart under helm/: linted and rendered with the helm library (helm-java), and the
 * rendered manifests checked against the application (port, health endpoints, settings).
 */
class HelmChartTest {

    private static final Path CHART = DeploymentFiles.file("helm");
    private static final Path PRODUCTION_VALUES = DeploymentFiles.file("helm/ci/production-values.yaml");
    private static final String RELEASE = "lrnn";
    private static final String NAMESPACE = "lrnn-test";
    private static final String SINGLE_REPLICA_MESSAGE = "The embedded H2 database is single-replica only";

    private static Manifests defaults;
    private static Manifests production;

    @BeforeAll
    static void render() {
        defaults = template(t -> t);
        production = template(t -> t.withValuesFile(PRODUCTION_VALUES));
    }

    @Test
    void lintPassesWithoutWarnings() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultValuesRenderOneReplicaOnTheEmbeddedDatabase() {
        assertThat(defaults.kinds()).contains("Deployment", "Service", "ConfigMap", "Secret", "ServiceAccount",
                "PodDisruptionBudget").doesNotContain("HorizontalPodAutoscaler", "Ingress", "ServiceMonitor");
        Map<String, Object> deployment = defaults.one("Deployment");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
        assertThat(defaults.configData()).doesNotContainKeys("LRNN_DATABASE_URL", "LRNN_DATABASE_USER");
        assertThat(container(deployment).get("image")).isEqualTo("lrnn-serve:" + chartAppVersion());
        // A PDB that allows one pod down never blocks a node drain, even with a single replica.
        assertThat(at(defaults.one("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);
    }

    @Test
    void probesCallTheHealthEndpointsOnTheApplicationPort() {
        int applicationPort = DeploymentFiles.applicationPort();
        for (Manifests manifests : List.of(defaults, production)) {
            Map<String, Object> container = container(manifests.one("Deployment"));
            Map<String, Integer> ports = containerPorts(container);
            assertThat(ports).containsEntry("http", applicationPort);

            assertThat(probe(container, "startupProbe", ports)).isEqualTo("/livez:" + applicationPort);
            assertThat(probe(container, "livenessProbe", ports)).isEqualTo("/livez:" + applicationPort);
            assertThat(probe(container, "readinessProbe", ports)).isEqualTo("/readyz:" + applicationPort);

            // The application is told the same port (server.port: ${PORT:...}), and the Service targets it.
            assertThat(manifests.configData()).containsEntry("PORT", String.valueOf(applicationPort));
            Map<String, Object> servicePort = asMap(list(manifests.one("Service"), "spec.ports").get(0));
            assertThat(servicePort.get("targetPort")).isEqualTo("http");
        }
    }

    @Test
    void theGrpcPortIsTheApplicationsAndTheServiceExposesIt() {
        int grpcPort = Integer.parseInt(DeploymentFiles.applicationDefault("lrnn.grpc.port"));
        for (Manifests manifests : List.of(defaults, production)) {
            assertThat(containerPorts(container(manifests.one("Deployment")))).containsEntry("grpc", grpcPort);
            assertThat(manifests.configData()).containsEntry("LRNN_GRPC_PORT", String.valueOf(grpcPort));
            Map<String, Object> servicePort = asMap(list(manifests.one("Service"), "spec.ports").get(1));
            assertThat(servicePort).containsEntry("name", "grpc").containsEntry("targetPort", "grpc")
                    .containsEntry("port", 8081).containsEntry("appProtocol", "grpc");
        }
        Manifests off = template(t -> t.set("grpcContainerPort", "0"));
        assertThat(containerPorts(container(off.one("Deployment")))).doesNotContainKey("grpc");
        assertThat(list(off.one("Service"), "spec.ports")).hasSize(1);
        assertThat(off.configData()).containsEntry("LRNN_GRPC_PORT", "0");
    }

    @Test
    void podsRunHardened() {
        for (Manifests manifests : List.of(defaults, production)) {
            Map<String, Object> deployment = manifests.one("Deployment");
            Map<String, Object> pod = map(deployment, "spec.template.spec");
            assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(DockerfileTest.imageUid());
            assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
            assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);

            Map<String, Object> container = container(deployment);
            assertThat(at(container, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(container, "securityContext.runAsUser")).isEqualTo(DockerfileTest.imageUid());
            assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(list(container, "securityContext.capabilities.drop")).containsExactly("ALL");
            assertThat(at(container, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
            assertThat(map(container, "resources")).containsKeys("requests", "limits");

            // With a read-only root, /tmp and /data are the writable volumes.
            Map<String, String> mounts = new LinkedHashMap<>();
            for (Object mount : list(container, "volumeMounts")) {
                mounts.put(String.valueOf(asMap(mount).get("mountPath")), String.valueOf(asMap(mount).get("name")));
            }
            assertThat(mounts).containsKeys("/tmp", "/data");
            Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
            for (Object volume : list(pod, "volumes")) {
                volumes.put(String.valueOf(asMap(volume).get("name")), asMap(volume));
            }
            assertThat(volumes.get(mounts.get("/tmp"))).containsKey("emptyDir");
            assertThat(volumes.get(mounts.get("/data"))).containsKey("emptyDir");
        }
    }

    @Test
    void secretHoldsAGeneratedApiKeyThatTheContainerReads() {
        Map<String, Object> secret = defaults.one("Secret");
        String apiKey = decode(at(secret, "data.api-key"));
        assertThat(apiKey).matches("[A-Za-z0-9]{40}");

        Map<String, Object> fromSecret = envSource(container(defaults.one("Deployment")), "LRNN_API_KEY");
        assertThat(at(fromSecret, "secretKeyRef.name")).isEqualTo(at(secret, "metadata.name"));
        assertThat(at(fromSecret, "secretKeyRef.key")).isEqualTo("api-key");

        // Two installs get two different keys.
        assertThat(decode(at(template(t -> t).one("Secret"), "data.api-key"))).isNotEqualTo(apiKey);
    }

    @Test
    void givenApiKeyAndDatabasePasswordGoToTheSecret() {
        Manifests manifests = template(t -> t.set("auth.apiKey", "k3y").set("database.url", "jdbc:postgresql://db/lrnn")
                .set("database.user", "lrnn").set("database.password", "pw"));

        Map<String, Object> secret = manifests.one("Secret");
        assertThat(decode(at(secret, "data.api-key"))).isEqualTo("k3y");
        assertThat(decode(at(secret, "data.database-password"))).isEqualTo("pw");
        Map<String, Object> password = envSource(container(manifests.one("Deployment")), "LRNN_DATABASE_PASSWORD");
        assertThat(at(password, "secretKeyRef.name")).isEqualTo(at(secret, "metadata.name"));
        assertThat(at(password, "secretKeyRef.key")).isEqualTo("database-password");
        assertThat(manifests.configData()).containsEntry("LRNN_DATABASE_USER", "lrnn")
                .doesNotContainValue("pw");
    }

    @Test
    void existingSecretsAreReferencedAndNotCopied() {
        Manifests manifests = template(t -> t.set("auth.existingSecret", "my-keys")
                .set("database.url", "jdbc:postgresql://db/lrnn").set("database.existingSecret", "my-db"));

        assertThat(manifests.kinds()).doesNotContain("Secret");
        Map<String, Object> container = container(manifests.one("Deployment"));
        assertThat(at(envSource(container, "LRNN_API_KEY"), "secretKeyRef.name")).isEqualTo("my-keys");
        assertThat(at(envSource(container, "LRNN_API_KEY"), "secretKeyRef.key")).isEqualTo("api-key");
        assertThat(at(envSource(container, "LRNN_DATABASE_PASSWORD"), "secretKeyRef.name")).isEqualTo("my-db");
        assertThat(at(envSource(container, "LRNN_DATABASE_PASSWORD"), "secretKeyRef.key")).isEqualTo("password");
    }

    @Test
    void productionValuesRenderPostgresAutoscalingIngressAndMonitoring() {
        Map<String, Object> values = asMap(DeploymentFiles.yaml().load(DeploymentFiles.read("helm/ci/production-values.yaml")));
        assertThat(production.kinds()).contains("Deployment", "Service", "ConfigMap", "Secret",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "ServiceMonitor");

        assertThat(production.configData())
                .containsEntry("LRNN_DATABASE_URL", (String) at(values, "database.url"))
                .containsEntry("LRNN_DATABASE_USER", (String) at(values, "database.user"))
                .containsEntry("LRNN_PROTECT_PREDICT", "true");
        Map<String, Object> deployment = production.one("Deployment");
        // The HPA owns the replica count.
        assertThat(map(deployment, "spec")).doesNotContainKey("replicas");
        assertThat(at(envSource(container(deployment), "LRNN_DATABASE_PASSWORD"), "secretKeyRef.name"))
                .isEqualTo(at(values, "database.existingSecret"));

        Map<String, Object> hpa = production.one("HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(at(deployment, "metadata.name"));
        assertThat(at(hpa, "spec.minReplicas")).isEqualTo(3);
        assertThat(at(hpa, "spec.maxReplicas")).isEqualTo(10);
        assertThat(at(asMap(list(hpa, "spec.metrics").get(0)), "resource.name")).isEqualTo("cpu");

        assertThat(at(production.one("PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(2);

        Map<String, Object> rule = asMap(list(production.one("Ingress"), "spec.rules").get(0));
        assertThat(rule.get("host")).isEqualTo("lrnn.example.com");
        Map<String, Object> path = asMap(list(rule, "http.paths").get(0));
        assertThat(at(path, "backend.service.name")).isEqualTo(at(production.one("Service"), "metadata.name"));
        assertThat(at(path, "backend.service.port.name")).isEqualTo("http");

        Map<String, Object> monitor = production.one("ServiceMonitor");
        Map<String, Object> endpoint = asMap(list(monitor, "spec.endpoints").get(0));
        assertThat(endpoint).containsEntry("path", "/actuator/prometheus").containsEntry("port", "http");
        assertThat(at(monitor, "metadata.namespace")).isEqualTo(NAMESPACE);
        assertThat(map(monitor, "spec.selector.matchLabels"))
                .isEqualTo(map(production.one("Service"), "spec.selector"));
    }

    @Test
    void moreThanOneReplicaWithoutADatabaseRefusesToRender() {
        assertThatThrownBy(() -> template(t -> t.set("replicaCount", 3)))
                .hasMessageContaining(SINGLE_REPLICA_MESSAGE).hasMessageContaining("database.url");
        assertThatThrownBy(() -> template(t -> t.set("autoscaling.enabled", true)))
                .hasMessageContaining(SINGLE_REPLICA_MESSAGE);

        Manifests withDatabase = template(t -> t.set("replicaCount", 3).set("database.url", "jdbc:postgresql://db/lrnn"));
        assertThat(at(withDatabase.one("Deployment"), "spec.replicas")).isEqualTo(3);
    }

    @Test
    void persistenceKeepsTheEmbeddedDatabaseOnAClaim() {
        Manifests manifests = template(t -> t.set("persistence.enabled", true));

        Map<String, Object> claim = manifests.one("PersistentVolumeClaim");
        Map<String, Object> deployment = manifests.one("Deployment");
        assertThat(at(deployment, "spec.strategy.type")).isEqualTo("Recreate");
        List<Object> volumes = list(deployment, "spec.template.spec.volumes");
        assertThat(volumes).anySatisfy(v -> assertThat(at(v, "persistentVolumeClaim.claimName"))
                .isEqualTo(at(claim, "metadata.name")));
        assertThatThrownBy(() -> template(t -> t.set("persistence.enabled", true).set("replicaCount", 2)
                .set("database.url", "jdbc:postgresql://db/lrnn"))).hasMessageContaining("replicaCount 1");
    }

    @Test
    void valuesOutsideTheSchemaAreRejected() {
        assertThatThrownBy(() -> template(t -> t.set("replicaCont", 2))).hasMessageContaining("replicaCont");
        assertThatThrownBy(() -> template(t -> t.set("config.jobs.workers", "many")))
                .hasMessageContaining("workers");
    }

    /** The chart passes every application setting with application.yaml's own default. */
    @Test
    void configMapDefaultsAreTheApplicationDefaults() {
        Map<String, String> applicationDefaults = DeploymentFiles.applicationEnvironmentDefaults();
        Map<String, String> configData = defaults.configData();

        Set<String> notInChart = Set.of("LRNN_DATABASE_URL", "LRNN_DATABASE_USER", "LRNN_DATABASE_PASSWORD",
                "LRNN_API_KEY", "LRNN_MODELS_DIRECTORY");
        Set<String> missing = new TreeSet<>(applicationDefaults.keySet());
        missing.removeAll(notInChart);
        missing.removeAll(configData.keySet());
        assertThat(missing).as("settings of application.yaml the chart cannot set: add them to helm/values.yaml "
                + "(config.*) and helm/templates/configmap.yaml").isEmpty();

        Map<String, String> different = new LinkedHashMap<>();
        configData.forEach((name, value) -> {
            String expected = applicationDefaults.get(name);
            if (expected != null && !expected.equals(value)) {
                different.put(name, "chart " + value + ", application.yaml " + expected);
            }
        });
        assertThat(different).as("chart defaults that differ from application.yaml").isEmpty();
    }

    /** Every value in values.yaml has a Bitnami-style {@code ## @param} line, and every such line a value. */
    @Test
    void everyValueIsDocumented() {
        String text = DeploymentFiles.read("helm/values.yaml");
        Map<String, Object> values = asMap(DeploymentFiles.yaml().load(text));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*## @param (\\S+) ").matcher(text);
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> leaves = new ArrayList<>();
        collectLeaves("", values, documented, leaves);

        assertThat(leaves.stream().filter(leaf -> !documented.contains(leaf)).toList())
                .as("values without a ## @param line").isEmpty();
        assertThat(documented.stream().filter(path -> !hasPath(values, path)).toList())
                .as("## @param lines naming no value").isEmpty();
    }

    // ---- rendering ------------------------------------------------------------------------------

    private static Manifests template(UnaryOperator<TemplateCommand> options) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        return new Manifests(DeploymentFiles.documents(options.apply(command).call()));
    }

    /** Rendered manifests by kind. */
    private record Manifests(List<Map<String, Object>> documents) {

        Set<String> kinds() {
            return documents.stream().map(d -> String.valueOf(d.get("kind"))).collect(Collectors.toSet());
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
            assertThat(found).as("rendered %s manifests", kind).hasSize(1);
            return found.get(0);
        }

        Map<String, String> configData() {
            Map<String, String> data = new LinkedHashMap<>();
            map(one("ConfigMap"), "data").forEach((k, v) -> data.put(k, String.valueOf(v)));
            return data;
        }
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(deployment, "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return asMap(containers.get(0));
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : list(container, "ports")) {
            ports.put(String.valueOf(asMap(port).get("name")), (Integer) asMap(port).get("containerPort"));
        }
        return ports;
    }

    /** A probe as {@code path:port}, its port name resolved to the container port. */
    private static String probe(Map<String, Object> container, String name, Map<String, Integer> ports) {
        Object port = at(container, name + ".httpGet.port");
        Object number = port instanceof String portName ? ports.get(portName) : port;
        return at(container, name + ".httpGet.path") + ":" + number;
    }

    private static Map<String, Object> envSource(Map<String, Object> container, String name) {
        for (Object env : list(container, "env")) {
            if (name.equals(asMap(env).get("name"))) {
                return map(env, "valueFrom");
            }
        }
        throw new AssertionError("No environment variable " + name + " in " + container.get("env"));
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode(String.valueOf(base64)), StandardCharsets.UTF_8);
    }

    private static String chartAppVersion() {
        return String.valueOf(asMap(DeploymentFiles.yaml().load(DeploymentFiles.read("helm/Chart.yaml"))).get("appVersion"));
    }

    /** Leaves of the values tree; a documented map (an {@code [object]} parameter) counts as a leaf. */
    private static void collectLeaves(String prefix, Map<String, Object> node, Set<String> documented, List<String> leaves) {
        node.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child && !child.isEmpty() && !documented.contains(path)) {
                collectLeaves(path, asMap(child), documented, leaves);
            } else {
                leaves.add(path);
            }
        });
    }

    private static boolean hasPath(Map<String, Object> values, String path) {
        Object node = values;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            node = map.get(key);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }
}
