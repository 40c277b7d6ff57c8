package dev.wgcp.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.infra.Ports;
import dev.wgcp.infra.Shell;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml's Kafka, run for real: the secrets made by the CLI as {@code init.sh} makes them,
 * the kafka service's environment turned into broker settings as the apache/kafka image turns it,
 * on the {@code kafka_2.13} broker of the same version, then the set-up as {@code kafka-init} runs
 * it. What the compose file promises about Kafka is then tried on that broker: only the certificate
 * holders on the administrator's listener, only SCRAM clients on the client listener, each principal
 * exactly its ACLs. (The containers themselves are not run: no Docker engine here.)
 */
class ComposeKafkaIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CLI = REPO.resolve("cli/target/cli-0.1.0-SNAPSHOT-all.jar");

    @TempDir
    Path dir;

    private static Shell.Result wgcp(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", CLI.toString()));
        cmd.addAll(List.of(args));
        return Shell.exec(cmd);
    }

    /** The apache/kafka image's rule: KAFKA_A_B → a.b, __ → _, ___ → -. */
    static String property(String env) {
        return env.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT)
                .replace("___", "\u0001").replace("__", "\u0002").replace('_', '.').replace('\u0001', '-').replace('\u0002', '_');
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeBrokerTakesOnlyAuthenticatedClientsAndTheSetUpGivesEachPrincipalExactlyItsAcls() throws Exception {
        Path secrets = dir.resolve("kafka");
        Shell.Result init = wgcp("kafka", "init", "--dir", secrets.toString(), "--broker-host", "kafka", "--edge", "edge-0",
                "--jaas-env", "kafka-ui=KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG");
        assertEquals(0, init.exitCode(), init.output());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secrets.resolve("broker.pem")));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secrets.resolve("kafka-ui.env")));
        String again = Files.readString(secrets.resolve("passwords/registry-service.password"));
        assertEquals(0, wgcp("kafka", "init", "--dir", secrets.toString(), "--broker-host", "kafka").exitCode());
        assertEquals(again, Files.readString(secrets.resolve("passwords/registry-service.password")), "init replaces nothing");

        Shell.Result config = ComposeConfig.run(dir, Map.of("EDGE_PUBLIC_KEY", "dGVzdA=="), "config");
        assertEquals(0, config.exitCode(), config.output());
        Map<String, Object> file = new org.yaml.snakeyaml.Yaml().load(config.output().substring(config.output().indexOf("services:")));
        Map<String, Object> kafkaService = ((Map<String, Map<String, Object>>) file.get("services")).get("kafka");
        Map<String, Object> env = (Map<String, Object>) kafkaService.get("environment");

        int client = Ports.free();
        int controller = Ports.free();
        int admin = Ports.free();
        Properties props = new Properties();
        env.forEach((k, v) -> {
            // docker-compose config writes a literal $ as $$ (compose's own escape); the container sees one $.
            String value = String.valueOf(v).replace("$$", "$").replace("/secrets/kafka", secrets.toString()).replace(":9092", ":" + client)
                    .replace(":9093", ":" + controller).replace(":9094", ":" + admin).replace("//kafka:", "//localhost:")
                    .replace("://:", "://127.0.0.1:");
            props.put(property(k), value);
        });
        assertEquals("false", props.get("allow.everyone.if.no.acl.found"));
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", props.get("authorizer.class.name"));
        assertTrue(String.valueOf(props.get("listener.security.protocol.map")).matches("[A-Z_:,]+")
                && !String.valueOf(props.get("listener.security.protocol.map")).contains("PLAINTEXT"), "no unauthenticated listener");
        Path logs = dir.resolve("data");
        Files.createDirectories(logs);
        props.put("log.dirs", logs.toString());
        new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream())).setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString()).setDirectories(List.of(logs.toString())).setMetadataLogDirectory(logs.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).setSupportedFeatures(Features.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER").run();
        KafkaRaftServer broker = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        broker.startup();
        try {
            Shell.Result setup = wgcp("kafka", "setup", "--admin-config", secrets.resolve("wgcp-admin.properties").toString(),
                    "--bootstrap-servers", "localhost:" + admin, "--password-dir", secrets.resolve("passwords").toString(),
                    "--replication-factor", "1", "--min-insync-replicas", "1");
            assertEquals(0, setup.exitCode(), setup.output());
            assertTrue(setup.output().contains("edge.edge-0") && setup.output().contains("registry-service"), setup.output());
            Shell.Result rerun = wgcp("kafka", "setup", "--admin-config", secrets.resolve("wgcp-admin.properties").toString(),
                    "--bootstrap-servers", "localhost:" + admin, "--password-dir", secrets.resolve("passwords").toString(),
                    "--replication-factor", "1", "--min-insync-replicas", "1");
            assertEquals(0, rerun.exitCode(), "the set-up is safe to run again: " + rerun.output());

            Path ca = secrets.resolve("ca.pem");
            KafkaConnection registry = KafkaConnection.scram("localhost:" + client, KafkaAccess.REGISTRY,
                    KafkaConnection.readSecret(secrets.resolve("passwords/registry-service.password"), "test"), ca);
            KafkaConnection edge = registry.as(KafkaAccess.edge("edge-0"),
                    KafkaConnection.readSecret(secrets.resolve("passwords/edge.edge-0.password"), "test"));
            assertEquals(null, produce(registry.properties("registry"), Topics.PEERS.name()));
            assertInstanceOf(AuthorizationException.class, produce(edge.properties("edge"), Topics.PEERS.name()));
            assertEquals(null, produce(edge.properties("edge"), Topics.APPLIED.name()));

            // The administrator's listener takes certificates only; a SCRAM client or one without a certificate gets nothing there.
            Properties noCertificate = new Properties();
            noCertificate.put("bootstrap.servers", "localhost:" + admin);
            noCertificate.put("security.protocol", "SSL");
            noCertificate.put("ssl.truststore.type", "PEM");
            noCertificate.put("ssl.truststore.location", ca.toString());
            assertTrue(produce(noCertificate, Topics.PEERS.name()) != null, "no certificate, no connection");
            Properties plaintext = new Properties();
            plaintext.put("bootstrap.servers", "localhost:" + client);
            assertTrue(produce(plaintext, Topics.PEERS.name()) != null, "no TLS and SCRAM, no connection");

            // The audit principal's settings file works as written (brokers aside) and reads; topics stamp broker times.
            Properties audit = new Properties();
            try (var r = Files.newBufferedReader(secrets.resolve("passwords/wgcp-audit.properties"))) {
                audit.load(r);
            }
            audit.put("bootstrap.servers", "localhost:" + client);
            try (Admin a = Admin.create(audit)) {
                assertTrue(a.listTopics().names().get().containsAll(Set.of(Topics.PEERS.name(), Topics.RULESETS.name())));
            }
            Properties adminSettings = new Properties();
            try (var r = Files.newBufferedReader(secrets.resolve("wgcp-admin.properties"))) {
                adminSettings.load(r);
            }
            adminSettings.put("bootstrap.servers", "localhost:" + admin);
            try (Admin a = Admin.create(adminSettings)) {
                var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                        Topics.PEERS.name());
                assertEquals("LogAppendTime", a.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get("message.timestamp.type").value());
            }
            assertTrue(Files.readString(secrets.resolve("kafka-ui.env")).startsWith("KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG="
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"kafka-ui\""));
        } finally {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    private static Throwable produce(Properties p, String topic) {
        return dev.wgcp.infra.KafkaProbe.produce(p, topic);
    }
}
