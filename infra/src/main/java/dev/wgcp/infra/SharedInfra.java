package dev.wgcp.infra;

import dev.wgcp.registry.schema.SchemaRegistryServer;
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

    private SharedInfra(EmbeddedKafka kafka, EmbeddedDatabase database, SchemaRegistryServer schemaRegistry) {
        this.kafka = kafka;
        this.database = database;
        this.schemaRegistry = schemaRegistry;
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("wgcp-infra");
                EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
                EmbeddedDatabase db = EmbeddedDatabase.start(null, 0);
                SchemaRegistryServer sr = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("schema-registry"));
                KafkaTopics.createAll(kafka.bootstrapServers(), 3);
                instance = new SharedInfra(kafka, db, sr);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
     * database {@code database} (created if missing, null for none), the broker and the registry.
     */
    public java.util.Map<String, Object> serviceProperties(String database) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("wgcp.kafka.bootstrap-servers", bootstrapServers());
        p.put("wgcp.kafka.schema-registry-url", schemaRegistryUrl());
        if (database != null) {
            p.put("datasources.default.url", this.database.createDatabase(database));
            p.put("datasources.default.username", this.database.username());
            p.put("datasources.default.password", this.database.password());
        }
        return p;
    }

    /** A producer of wgcp events on this broker, registering schemas with this registry. Close it. */
    public org.apache.kafka.clients.producer.KafkaProducer<String, org.apache.avro.specific.SpecificRecord> eventProducer() {
        return dev.wgcp.schemas.Producers.events(bootstrapServers(), new dev.wgcp.schemas.SchemaRegistryClient(schemaRegistryUrl()),
                "wgcp-test");
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
