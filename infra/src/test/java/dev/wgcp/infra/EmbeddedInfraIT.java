package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaTopics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.registry.schema.SchemaRegistryServer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker, PostgreSQL and the schema registry together, as the services use them. */
class EmbeddedInfraIT {

    @TempDir
    Path dir;

    @Test
    void eventsRoundTripThroughBrokerAndRegistry() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             SchemaRegistryServer registry = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("sr"), kafka::acceptsSchemaWriter)) {
            KafkaTopics.createAll(kafka.admin(), 3);
            KafkaTopics.registerSchemas(kafka.admin().schemaRegistry(registry.url())); // the serializer below only looks up
            KafkaTopics.createAll(kafka.admin(), 3); // idempotent

            try (Admin admin = Admin.create(kafka.admin().properties("test-admin"))) {
                assertTrue(admin.listTopics().names().get().containsAll(
                        List.of(Topics.PEERS.name(), Topics.ADDRESSES.name(), Topics.deadLetter(Topics.PEERS.name()))));
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PEERS.name());
                assertEquals("-1", admin.describeConfigs(List.of(r)).all().get().get(r).get("retention.ms").value());
                assertEquals("1", admin.describeConfigs(List.of(r)).all().get().get(r).get("min.insync.replicas").value(),
                        "one broker: one copy, and it suffices");
            }

            AddressAssigned event = AddressAssigned.newBuilder()
                    .setMetadata(new EventMetadataFactory("test", Clock.systemUTC()).create("tester", 1))
                    .setPeerId("p1").setNetworkId("home").setPool("home-v4").setIpv4Address("10.0.0.2").build();
            Properties p = kafka.admin().properties("test-producer");
            p.put(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            try (KafkaProducer<String, SpecificRecord> producer =
                         new KafkaProducer<>(p, new StringSerializer(), configured(new EventSerializer(), registry))) {
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), "p1", event)).get();
            }
            Properties c = kafka.admin().properties("test-consumer");
            try (KafkaConsumer<String, SpecificRecord> consumer =
                         new KafkaConsumer<>(c, new StringDeserializer(), deserializer(registry))) {
                List<TopicPartition> parts = consumer.partitionsFor(Topics.ADDRESSES.name()).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                long deadline = System.currentTimeMillis() + 15_000;
                SpecificRecord received = null;
                while (received == null && System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, SpecificRecord> records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        received = records.iterator().next().value();
                    }
                }
                assertEquals(event, received);
            }
            assertTrue(registry.url().startsWith("http://127.0.0.1:"));
        }
    }

    @Test
    void brokerKeepsTopicsAndRecordsAcrossARestart() throws Exception {
        Path data = dir.resolve("kafka-restart");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            KafkaTopics.createAll(kafka.admin(), 1);
            Properties p = kafka.admin().properties("test-producer");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.deadLetter(Topics.PEERS.name()), "k", "kept")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records =
                    TopicReader.raw(kafka.admin(), Topics.deadLetter(Topics.PEERS.name()));
            assertEquals(1, records.size());
            assertEquals("kept", new String(records.get(0).value()));
        }
    }

    @Test
    void postgresServesPerServiceDatabases() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(null, 0)) {
            String url = db.createDatabase("registry");
            assertEquals(url, db.createDatabase("registry"));
            try (Connection c = DriverManager.getConnection(url, db.username(), db.password());
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                rs.next();
                assertEquals("registry", rs.getString(1));
            }
        }
    }

    /**
     * A PostgreSQL with a data directory (the devstack's) loses no acknowledged commit when it is killed
     * with SIGKILL: with zonky's synchronous_commit=off, the last ones were gone after the restart.
     */
    @Test
    void aKilledPostgresKeepsEveryCommitItAcknowledged() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("durable-pg"), 0)) {
            String url = db.createDatabase("durability");
            try (Connection c = DriverManager.getConnection(url, db.username(), db.password())) {
                c.createStatement().execute("CREATE TABLE acked (id BIGINT PRIMARY KEY)");
            }
            java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, db.username(), db.password());
                     java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
                    for (long id = 1; ; id++) {
                        insert.setLong(1, id);
                        insert.executeUpdate(); // autocommit: returned means committed
                        acknowledged.set(id);
                    }
                } catch (java.sql.SQLException killed) {
                    // the server went away
                }
            });
            writer.start();
            Thread.sleep(1500);
            db.kill();
            writer.join(10_000);
            long acked = acknowledged.get();
            assertTrue(acked > 50, "commits were made before the kill: " + acked);
            db.restart();
            try (Connection c = DriverManager.getConnection(url, db.username(), db.password());
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM acked WHERE id <= " + acked)) {
                rs.next();
                assertEquals(acked, rs.getLong(1), "every acknowledged commit survived the kill");
            }
        }
    }

    private static EventSerializer configured(EventSerializer s, SchemaRegistryServer registry) {
        s.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        return s;
    }

    private static EventDeserializer deserializer(SchemaRegistryServer registry) {
        EventDeserializer d = new EventDeserializer();
        d.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        return d;
    }
}
