package dev.wgcp.tracker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** endpoint-tracker against the real broker, PostgreSQL and schema registry. */
class EndpointTrackerIT {

    private static SharedInfra infra;
    private static ApplicationContext tracker;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static final EventMetadataFactory EDGE = new EventMetadataFactory("edge-agent:edge-0", Clock.systemUTC());

    @BeforeAll
    static void start() {
        infra = SharedInfra.get();
        tracker = ApplicationContext.run(infra.serviceProperties("endpoints_it"));
        producer = infra.eventProducer();
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    private static void observe(String peerId, long second, String endpoint) {
        HandshakeObserved o = HandshakeObserved.newBuilder().setMetadata(EDGE.create("edge-agent:edge-0", second))
                .setPeerId(peerId).setPublicKey("K-" + peerId).setEdgeId("edge-0").setInterfaceName("wg0")
                .setEndpoint(endpoint).setLatestHandshakeAt(endpoint == null ? null : Instant.ofEpochSecond(second))
                .setObservedAt(Instant.ofEpochSecond(second)).build();
        producer.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peerId, o));
    }

    @Test
    void roamsAndRebindsYieldExactlyOneEventEachWhateverTheDuplicates() {
        String peer = UUID.randomUUID().toString();
        observe(peer, 100, null);                    // registered, never talked: nothing
        observe(peer, 110, "198.51.100.7:41000");    // first seen
        observe(peer, 110, "198.51.100.7:41000");    // duplicate
        observe(peer, 120, "198.51.100.7:41000");    // same endpoint, later: nothing
        observe(peer, 130, "198.51.100.7:52000");    // NAT rebind (port only)
        observe(peer, 125, "192.0.2.50:1000");       // out of order, older: ignored
        observe(peer, 140, "203.0.113.9:52000");     // roam
        observe(peer, 140, "203.0.113.9:52000");     // duplicate
        producer.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<EndpointChanged> events = TopicReader.events(infra.bootstrapServers(), infra.schemaRegistryUrl(), Topics.ENDPOINTS, peer)
                    .stream().map(EndpointChanged.class::cast).toList();
            assertEquals(List.of(EndpointChangeKind.FIRST_SEEN, EndpointChangeKind.NAT_REBIND, EndpointChangeKind.ROAMED),
                    events.stream().map(EndpointChanged::getKind).toList());
            assertEquals(List.of("198.51.100.7:41000", "198.51.100.7:52000", "203.0.113.9:52000"),
                    events.stream().map(EndpointChanged::getNewEndpoint).toList());
            assertEquals("198.51.100.7:52000", events.get(2).getOldEndpoint());
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> e.getMetadata().getRevision()).toList());
        });
    }
}
