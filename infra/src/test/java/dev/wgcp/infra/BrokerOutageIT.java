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
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replaying consumer (an agent's, firewall-sync's) that starts while the broker is down, for longer than a client's timeouts. */
class BrokerOutageIT {

    @TempDir
    Path dir;

    @Test
    void aReplayThatStartsWhileTheBrokerIsDownWaitsForItAndThenReadsEverything() throws Exception {
        int port = Ports.free();
        KafkaConnection admin;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), port)) {
            KafkaTopics.createAll(kafka.admin(), 1);
            admin = kafka.admin();
        }
        // The broker is down now: its data, credentials and CA stay in dir, and it comes back on the same port.
        try (SchemaRegistryServer registry = SchemaRegistryServer.start("127.0.0.1", 0, null,
                SchemaRegistryServer.Writers.of("writer", "writer-password"));
             var deadLetters = Producers.deadLetters(admin, "outage-test")) {
            KafkaTopics.registerSchemas(SchemaRegistryClient.withCredentials(registry.url(), "writer", "writer-password"));
            List<SpecificRecord> seen = new CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
            EventConsumerLoop loop = EventConsumerLoop.replay(admin, "outage-test", List.of(Topics.PEERS),
                    new EventDeserializer(new SchemaRegistryClient(registry.url())), (event, record) -> {
                        seen.add(event);
                        read.countDown();
                    }, deadLetters,
                    null).start();
            try {
                // The fault itself, not a wait for a result: the broker stays away longer than the 60 s a client waits
                // for metadata, and the loop must not give up meanwhile.
                Thread.sleep(TimeUnit.SECONDS.toMillis(65));
                assertTrue(loop.isAlive(), "the loop still runs after the broker was away for 65 s");
                assertEquals(EventConsumerLoop.State.CATCHING_UP, loop.state(), "not ready (health DOWN) while it has read nothing");
                try (EmbeddedKafka back = EmbeddedKafka.start(dir.resolve("kafka"), port)) {
                    try (KafkaProducer<String, SpecificRecord> producer = Producers.events(back.admin(),
                            new SchemaRegistryClient(registry.url()), "outage-producer")) {
                        producer.send(new ProducerRecord<>(Topics.PEERS.name(), "p1", PeerRegistered.newBuilder()
                                .setMetadata(new EventMetadataFactory("test", Clock.systemUTC()).create("test", 1)).setPeerId("p1")
                                .setNetworkId("home").setPublicKey("k1").build())).get();
                    }
                    assertTrue(loop.awaitCaughtUp(Duration.ofSeconds(60)), "caught up once the broker is back");
                    assertEquals(EventConsumerLoop.State.FOLLOWING, loop.state());
                    assertTrue(read.await(30, TimeUnit.SECONDS), "the event written after the outage is read");
                    assertEquals(1, seen.size(), String.valueOf(seen));
                }
            } finally {
                loop.close();
            }
        }
    }
}
