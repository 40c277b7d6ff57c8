package dev.wgcp.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.infra.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships in deploy/ is checked with the tools that will read it: Prometheus' promtool for the
 * alert rules (syntax, and unit tests that make each alert fire on the series it should) and for
 * the Grafana dashboard's queries; every metric they name is one docs/metrics.md documents.
 */
class DeploymentFilesIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\bwgcp_[a-z_]+\\b");

    @TempDir
    Path dir;

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests() {
        Shell.Result check = Shell.exec(List.of("promtool", "check", "rules", REPO.resolve("deploy/prometheus/alerts.yml").toString()));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS"), check.output());
        Shell.Result test = Shell.exec(List.of("promtool", "test", "rules", REPO.resolve("deploy/prometheus/alerts-test.yml").toString()));
        assertEquals(0, test.exitCode(), test.output());
    }

    @Test
    void theDashboardsQueriesAreValidPromQl() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("deploy/grafana/wgcp-fleet.json").toFile());
        assertEquals("wgcp-fleet", dashboard.path("uid").asText());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertTrue(exprs.size() >= 10, "panels with queries: " + exprs.size());
        // promtool has no query linter offline, but it parses recording rules: one rule per query, variables filled in.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$network", ".*").replace("$edge", ".*").replace("'", "''");
            rules.append("      - record: wgcp:dashboard_query_").append(i).append("\n        expr: '").append(expr).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules.toString());
        Shell.Result check = Shell.exec(List.of("promtool", "check", "rules", file.toString()));
        assertEquals(0, check.exitCode(), check.output() + "\n" + rules);
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsDocumented() throws Exception {
        String documented = Files.readString(REPO.resolve("docs/metrics.md"));
        Set<String> used = new TreeSet<>();
        for (String file : List.of("deploy/prometheus/alerts.yml", "deploy/grafana/wgcp-fleet.json")) {
            Matcher m = METRIC.matcher(Files.readString(REPO.resolve(file)));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertFalse(used.isEmpty());
        List<String> missing = used.stream().filter(name -> !documented.contains("`" + name + "`")).toList();
        assertEquals(List.of(), missing, "used in deploy/ but not in docs/metrics.md");
    }

    private Shell.Result compose(java.util.Map<String, String> env, String... args) {
        return ComposeConfig.run(dir, env, args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileIsValidAndWiresKafkaUiTheServicesAndAnEdgeThatCanRunWireGuard() throws Exception {
        Shell.Result missingKey = compose(java.util.Map.of(), "config", "-q");
        assertTrue(missingKey.exitCode() != 0 && missingKey.output().contains("generate the edge key first"), missingKey.output());
        Shell.Result config = compose(java.util.Map.of("EDGE_PUBLIC_KEY", "dGVzdA=="), "config");
        assertEquals(0, config.exitCode(), config.output());
        java.util.Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(config.output().substring(config.output().indexOf("services:")));
        java.util.Map<String, java.util.Map<String, Object>> services = (java.util.Map<String, java.util.Map<String, Object>>) file.get("services");
        assertEquals(new TreeSet<>(List.of("init", "kafka", "kafka-init", "schema-registry", "postgres", "kafka-ui", "registry-service",
                "ipam-service", "endpoint-tracker", "firewall-sync", "edge-agent")), new TreeSet<>(services.keySet()));
        java.util.Map<String, Object> ui = (java.util.Map<String, Object>) services.get("kafka-ui").get("environment");
        assertEquals("kafka:9092", ui.get("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"));
        assertEquals("http://schema-registry:8081", ui.get("KAFKA_CLUSTERS_0_SCHEMAREGISTRY"), "Kafka UI decodes Avro through the schema registry");
        java.util.Map<String, Object> schemaRegistry = services.get("schema-registry");
        assertEquals("cli", ((java.util.Map<String, Object>) ((java.util.Map<String, Object>) schemaRegistry.get("build")).get("args"))
                .get("SERVICE"), "wgcp's own schema registry, from the CLI image");
        assertEquals(List.of("schema-registry", "serve", "--port", "8081", "--data-dir", "/data", "--writers-file",
                "/run/secrets/schema-writers"), schemaRegistry.get("command"));
        assertEquals("[{source=schema-writers}]", String.valueOf(schemaRegistry.get("secrets")),
                "the writers' hashes only, no password");
        assertTrue(Files.readString(REPO.resolve("deploy/compose/init.sh")).contains("wgcp schema-registry writers --password-dir"),
                "init makes the writers file");
        for (String module : List.of("registry-service", "ipam-service", "endpoint-tracker", "firewall-sync", "edge-agent")) {
            java.util.Map<String, Object> build = (java.util.Map<String, Object>) services.get(module).get("build");
            assertEquals(module, ((java.util.Map<String, Object>) build.get("args")).get("SERVICE"), module + " is built from its module");
            assertTrue(Files.isDirectory(REPO.resolve(module)), module);
            Object env = services.get(module).get("environment");
            String configFile = String.valueOf(((java.util.Map<String, Object>) env).get("MICRONAUT_CONFIG_FILES"));
            assertTrue(Files.exists(REPO.resolve("deploy/compose/config").resolve(Path.of(configFile).getFileName())), configFile);
        }
        java.util.Map<String, Object> edge = services.get("edge-agent");
        assertTrue(String.valueOf(edge.get("cap_add")).contains("NET_ADMIN"), "the edge may configure interfaces and nft");
        assertTrue(String.valueOf(edge.get("devices")).contains("/dev/net/tun"), "wireguard-go needs /dev/net/tun");
        assertTrue(String.valueOf(((java.util.Map<String, Object>) edge.get("build")).get("args")).contains("wireguard-go"));
        assertTrue(Files.readString(REPO.resolve("Dockerfile")).contains("deploy/docker/entrypoint.sh"));
        assertTrue(Files.isExecutable(REPO.resolve("deploy/docker/entrypoint.sh")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeStackSetsKafkaUpFromTheCodeAndGivesEachServiceOnlyItsOwnSecrets() throws Exception {
        Shell.Result config = compose(java.util.Map.of("EDGE_PUBLIC_KEY", "dGVzdA=="), "config");
        assertEquals(0, config.exitCode(), config.output());
        java.util.Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(config.output().substring(config.output().indexOf("services:")));
        java.util.Map<String, java.util.Map<String, Object>> services = (java.util.Map<String, java.util.Map<String, Object>>) file.get("services");
        // Topics, credentials and ACLs come from the code (KafkaAccess, KafkaTopics) through the CLI, not from a list kept beside it.
        assertEquals(List.of("kafka", "setup", "--admin-config", "/secrets/kafka/wgcp-admin.properties", "--password-dir",
                "/secrets/kafka/passwords", "--replication-factor", "1", "--min-insync-replicas", "1"), services.get("kafka-init").get("command"));
        assertTrue(Files.readString(REPO.resolve("deploy/compose/init.sh")).contains("kafka init --dir"));
        for (String module : List.of("registry-service", "ipam-service", "endpoint-tracker", "firewall-sync")) {
            String secrets = String.valueOf(services.get(module).get("secrets"));
            assertTrue(secrets.contains(module + "-kafka-password") && secrets.contains(module + "-signing-key"), module + ": " + secrets);
            for (String other : List.of("registry-service", "ipam-service", "endpoint-tracker", "firewall-sync", "edge-0")) {
                assertTrue(other.equals(module) || !secrets.contains(other + "-"), module + " sees only its own secrets: " + secrets);
            }
            java.util.Map<String, Object> env = (java.util.Map<String, Object>) services.get(module).get("environment");
            assertEquals("/run/secrets/kafka-password", env.get("KAFKA_PASSWORD_FILE"));
            assertEquals("/run/secrets/signing-key", env.get("WGCP_SIGNING_KEY_FILE"));
            assertTrue(!env.containsKey("KAFKA_PASSWORD"), "passwords in files, not in the compose file");
        }
        java.util.Map<String, Object> edge = (java.util.Map<String, Object>) services.get("edge-agent").get("environment");
        assertEquals("edge.edge-0", edge.get("KAFKA_USERNAME"));
        java.util.Map<String, Object> source = new org.yaml.snakeyaml.Yaml().load(Files.readString(REPO.resolve("docker-compose.yml")));
        assertTrue(String.valueOf(((java.util.Map<String, java.util.Map<String, Object>>) source.get("services")).get("edge-agent").get("env_file"))
                .contains("trust.env"), "the edge trusts the services' keys");
        assertTrue(String.valueOf(services.get("edge-agent").get("secrets")).contains("edge-0-kafka-password"));
        assertTrue(!config.output().contains("PLAINTEXT"), "no unauthenticated Kafka listener or client");
        assertTrue(Files.readString(REPO.resolve(".gitignore")).contains("deploy/compose/secrets/*"), "made secrets are never committed");
    }

    @Test
    void theKubernetesManifestsFitTheKubernetesApiModel() throws Exception {
        String text = Files.readString(REPO.resolve("deploy/kubernetes/wgcp.yaml"));
        io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                continue;
            }
            io.fabric8.kubernetes.api.model.HasMetadata resource = serialization.unmarshal(doc, io.fabric8.kubernetes.api.model.HasMetadata.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, resource.getKind() + " " + resource.getMetadata().getName(), unknown);
            assertEquals(List.of(), unknown, "fields the Kubernetes API does not have");
            kinds.merge(resource.getKind(), 1, Integer::sum);
            if (resource instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
                var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                assertEquals(d.getMetadata().getName(), d.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));
                assertTrue(container.getReadinessProbe().getHttpGet().getPath().equals("/health"), d.getMetadata().getName());
            }
            if (resource instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet ds) {
                var container = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
                assertTrue(container.getSecurityContext().getCapabilities().getAdd().contains("NET_ADMIN"));
                assertTrue(ds.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .anyMatch(v -> v.getHostPath() != null && "/dev/net/tun".equals(v.getHostPath().getPath())));
            }
        }
        assertEquals(java.util.Map.of("ConfigMap", 2, "DaemonSet", 1, "Deployment", 4, "Job", 1, "Namespace", 1, "PersistentVolumeClaim", 1,
                "Secret", 4, "Service", 4), kinds);
        // Each service mounts only its own Kafka password and signing key; the edge its own from the node.
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (doc.contains("kind: Deployment")) {
                String name = doc.substring(doc.indexOf("  name: ") + 8, doc.indexOf('\n', doc.indexOf("  name: "))).strip();
                assertTrue(doc.contains("{key: " + name + ".password, path: password}") && doc.contains("{key: " + name + ".key, path: key}"),
                        name + " mounts its own credentials");
                assertEquals(1, doc.split("\\.password").length - 1, name + " mounts no other password");
            }
        }
        assertTrue(text.contains("value: edge.$(AGENT_EDGE_ID)") && text.contains("/etc/wgcp/kafka.password"));
    }

    /** Every field the model did not know lands in an object's additional properties: collect their paths. */
    private static void unknownFields(Object node, String path, List<String> unknown) throws Exception {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum<?>) {
            return;
        }
        if (node instanceof java.util.Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof java.util.Map<?, ?> map) {
            for (var e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (java.lang.reflect.Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof java.util.Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else if (!(value instanceof io.fabric8.kubernetes.api.model.Quantity) && !(value instanceof io.fabric8.kubernetes.api.model.IntOrString)) {
                unknownFields(value, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
