package dev.wgcp.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.registry.schema.SchemaRegistryServer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.schemas.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers pointed at a schema registry that lost its schemas (reset, emptied, restored from an
 * old backup): they wait for it to know the record's schema again and never drop the record.
 * Dropping it is how an agent would rebuild an empty state and remove every peer.
 */
class UnknownSchemaIT {

    private static final SchemaRegistryServer.Writers WRITER = SchemaRegistryServer.Writers.of("writer", "writer-password");

    @TempDir
    Path dir;

    @Test
    void aRecordWhoseSchemaTheRegistryForgotIsRetriedNotDeadLetteredAndHandledOnceTheSchemaIsBack() throws Exception {
        int registryPort = Ports.free();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            KafkaTopics.createAll(kafka.admin(), 1);
            try (SchemaRegistryServer before = SchemaRegistryServer.start("127.0.0.1", registryPort, dir.resolve("sr-before"), WRITER)) {
                SchemaRegistryClient writer = SchemaRegistryClient.withCredentials(before.url(), "writer", "writer-password");
                KafkaTopics.registerSchemas(writer);
                try (KafkaProducer<String, SpecificRecord> producer = Producers.events(kafka.admin(), writer, "unknown-schema-test")) {
                    producer.send(new ProducerRecord<>(Topics.PEERS.name(), "p1", PeerRegistered.newBuilder()
                            .setMetadata(new EventMetadataFactory("test", Clock.systemUTC()).create("test", 1)).setPeerId("p1")
                            .setNetworkId("home").setPublicKey("k1").build())).get();
                }
            }
            // The registry comes back on the same address with none of its schemas.
            try (SchemaRegistryServer after = SchemaRegistryServer.start("127.0.0.1", registryPort, dir.resolve("sr-after"), WRITER);
                 var deadLetters = Producers.deadLetters(kafka.admin(), "unknown-schema-test")) {
                CountDownLatch replayed = new CountDownLatch(1);
                CountDownLatch grouped = new CountDownLatch(1);
                EventConsumerLoop replay = EventConsumerLoop.replay(kafka.admin(), "unknown-schema-replay", List.of(Topics.PEERS),
                        new EventDeserializer(new SchemaRegistryClient(after.url())), (event, record) -> replayed.countDown(),
                        deadLetters, null).start();
                EventConsumerLoop group = EventConsumerLoop.group(kafka.admin(), "unknown-schema-group", List.of(Topics.PEERS),
                        new EventDeserializer(new SchemaRegistryClient(after.url())), (event, record) -> grouped.countDown(),
                        deadLetters).start();
                try {
                    // The fault itself, not a wait for a result: the registry stays without the schema for a while.
                    Thread.sleep(TimeUnit.SECONDS.toMillis(8));
                    assertEquals(1, replayed.getCount(), "nothing handled while the schema is unknown");
                    assertEquals(List.of(), TopicReader.raw(kafka.admin(), Topics.deadLetter(Topics.PEERS.name())),
                            "nothing dead-lettered while the schema is unknown");

                    // Restored: the same schemas under the same ids.
                    KafkaTopics.registerSchemas(SchemaRegistryClient.withCredentials(after.url(), "writer", "writer-password"));
                    assertTrue(replayed.await(60, TimeUnit.SECONDS), "the replay handles the record once its schema is back");
                    assertTrue(grouped.await(60, TimeUnit.SECONDS), "the group member handles the record once its schema is back");
                    assertEquals(List.of(), TopicReader.raw(kafka.admin(), Topics.deadLetter(Topics.PEERS.name())));
                } finally {
                    replay.close();
                    group.close();
                }
            }
        }
    }
}
