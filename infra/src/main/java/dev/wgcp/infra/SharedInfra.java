package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaTopics;
import dev.wgcp.registry.schema.SchemaRegistryServer;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One broker, one PostgreSQL and one schema registry per test JVM, started on first use and stopped
 * when the JVM exits. Tests keep apart by their own databases, peer ids and consumer groups.
 */
public final class SharedInfra {

    private static SharedInfra instance;

    private final EmbeddedKafka kafka;
    private final EmbeddedDatabase database;
    private final SchemaRegistryServer schemaRegistry;
    private final SigningKeys signing;
    private java.nio.file.Path dir;
    private RegistryProcess registry;

    private SharedInfra(EmbeddedKafka kafka, EmbeddedDatabase database, SchemaRegistryServer schemaRegistry, SigningKeys signing) {
        this.kafka = kafka;
        this.database = database;
        this.schemaRegistry = schemaRegistry;
        this.signing = signing;
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("wgcp-infra");
                EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                EmbeddedDatabase db = EmbeddedDatabase.start(null, 0);
                SchemaRegistryServer sr = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("schema-registry"),
                        kafka::acceptsSchemaWriter);
                KafkaTopics.createAll(kafka.admin(), 3);
                // As the services do at their start: what an agent under test publishes finds its schema registered.
                KafkaTopics.registerSchemas(kafka.admin().schemaRegistry(sr.url()));
                java.util.List<String> principals = new java.util.ArrayList<>(KafkaAccess.services());
                principals.add(KafkaAccess.AUDIT);
                kafka.grant(principals);
                instance = new SharedInfra(kafka, db, sr, SigningKeys.inDirectory(dir.resolve("signing")));
                instance.dir = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    instance.stopRegistry();
                    sr.close();
                    kafka.close();
                    try {
                        db.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }, "wgcp-infra-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded infrastructure", e);
            }
        }
        return instance;
    }

    /**
     * Configuration for a service under test on this infrastructure: a random HTTP port, its own
     * database {@code database} (created if missing, null for none), the broker as {@code principal}
     * (a service's, {@link KafkaAccess}) and the registry.
     */
    public java.util.Map<String, Object> serviceProperties(String principal, String database) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("micronaut.server.port", -1);
        p.putAll(kafkaProperties(principal));
        if (KafkaAccess.services().contains(principal)) {
            p.put("wgcp.signing.key-file", signing.keyFile(principal).toString());
        }
        p.putAll(signing.trustProperties());
        p.put("wgcp.kafka.schema-registry-url", schemaRegistryUrl());
        if (database != null) {
            p.put("datasources.default.url", this.database.createDatabase(database));
            p.put("datasources.default.username", this.database.username());
            p.put("datasources.default.password", this.database.password());
        }
        return p;
    }

    /**
     * Configuration for the edge agent of {@code edgeId} under test: a random HTTP port, the broker as
     * the edge's own principal (created here with its ACLs), the registry.
     */
    public java.util.Map<String, Object> agentProperties(String edgeId) {
        String principal = KafkaAccess.edge(edgeId);
        kafka.grant(java.util.List.of(principal));
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("micronaut.server.port", -1);
        p.putAll(kafkaProperties(principal));
        p.put("wgcp.kafka.schema-registry-url", schemaRegistryUrl());
        p.put("wgcp.agent.edge-id", edgeId);
        p.put("wgcp.agent.signing-key-file", signing.edgeKeyFile(edgeId).toString());
        p.put("wgcp.agent.api-token-file", agentTokenFile(edgeId).toString());
        p.putAll(signing.trustProperties());
        return p;
    }

    /**
     * The registry-service of this test JVM, started from its jar on first use (its own database):
     * the services that check API tokens with the registry ({@code wgcp.auth.registry-url}) are
     * tested against it with tokens it issued. The module's pom orders registry-service's build first.
     */
    public synchronized RegistryProcess registry() {
        if (registry == null) {
            try {
                registry = RegistryProcess.start(dir.resolve("registry"), serviceProperties(KafkaAccess.REGISTRY, "registry_shared"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start registry-service", e);
            }
        }
        return registry;
    }

    /** {@code wgcp.auth.registry-url}: where a service under test asks who an API token belongs to (starts the registry). */
    public java.util.Map<String, Object> authProperties() {
        return java.util.Map.of("wgcp.auth.registry-url", registry().url());
    }

    private synchronized void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Where the agent of {@code edgeId} keeps its API token (made by the agent at its first start). */
    public java.nio.file.Path agentTokenFile(String edgeId) {
        return dir.resolve("agent-" + KafkaAccess.edge(edgeId) + ".token");
    }

    /** The services' signing keys of this test JVM (each service's {@code wgcp.signing.key-file}, trusted by every agent). */
    public SigningKeys signing() {
        return signing;
    }

    /** {@code wgcp.kafka.*}: the broker, {@code principal}'s password file and the broker's CA. */
    public java.util.Map<String, Object> kafkaProperties(String principal) {
        return java.util.Map.of("wgcp.kafka.bootstrap-servers", bootstrapServers(),
                "wgcp.kafka.username", principal,
                "wgcp.kafka.password-file", kafka.passwordFile(principal).toString(),
                "wgcp.kafka.truststore-file", kafka.caCertificate().toString());
    }

    /**
     * A producer of wgcp events as the super user, each record signed by its topic's owning service
     * (a test standing in for the control plane), registering schemas with this registry. Close it.
     */
    public org.apache.kafka.clients.producer.KafkaProducer<String, org.apache.avro.specific.SpecificRecord> eventProducer() {
        return new org.apache.kafka.clients.producer.KafkaProducer<>(admin().properties("wgcp-test"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new dev.wgcp.schemas.EventSerializer(admin().schemaRegistry(schemaRegistryUrl()), signing::ownerKey));
    }

    /** A producer of what edge {@code edgeId}'s agent reports, signed with that edge's key (as its agent signs them). Close it. */
    public org.apache.kafka.clients.producer.KafkaProducer<String, org.apache.avro.specific.SpecificRecord> edgeProducer(String edgeId) {
        dev.wgcp.schemas.signing.SigningKey key = signing.key(KafkaAccess.edge(edgeId));
        return new org.apache.kafka.clients.producer.KafkaProducer<>(admin().properties("wgcp-test-" + edgeId),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new dev.wgcp.schemas.EventSerializer(new dev.wgcp.schemas.SchemaRegistryClient(schemaRegistryUrl()), key));
    }

    /** The registry's announcement of edge {@code edgeId} serving {@code networks}, with its agent's signing key. */
    public dev.wgcp.events.v1.EdgeChanged edgeChanged(String edgeId, String endpoint, String... networks) {
        return dev.wgcp.events.v1.EdgeChanged.newBuilder()
                .setMetadata(new dev.wgcp.schemas.EventMetadataFactory("registry-service", java.time.Clock.systemUTC()).create("test", 1))
                .setEdgeId(edgeId).setPublicKey("pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw=").setEndpoint(endpoint)
                .setNetworks(java.util.List.of(networks)).setSigningKey(signing.edgePublicKey(edgeId)).build();
    }

    /** A producer of unsigned wgcp events as the super user: what someone with a leaked admin credential could write. Close it. */
    public org.apache.kafka.clients.producer.KafkaProducer<String, org.apache.avro.specific.SpecificRecord> unsignedProducer() {
        return dev.wgcp.schemas.Producers.events(admin(), admin().schemaRegistry(schemaRegistryUrl()), "wgcp-forger");
    }

    /** The super user's connection: tests read, write and administer with it. */
    public KafkaConnection admin() {
        return kafka.admin();
    }

    /** A connection as {@code principal}, created with its ACLs first (a service's, an edge's, or one no ACL names). */
    public KafkaConnection connection(String principal) {
        kafka.grant(java.util.List.of(principal));
        return kafka.connection(principal);
    }

    /** A Kafka client properties file (0600) of {@code principal}, created with its ACLs first (for {@code wgcp audit --kafka-config}). */
    public java.nio.file.Path clientConfigFile(String principal) {
        kafka.grant(java.util.List.of(principal));
        return kafka.clientConfigFile(principal);
    }

    /** Client settings as the super user for a test's own producer, consumer or admin client. */
    public java.util.Properties clientProperties(String clientId) {
        return admin().properties(clientId);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return schemaRegistry.url();
    }

    public EmbeddedDatabase database() {
        return database;
    }
}
