package dev.wgcp.ipam.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ipam-service against the real broker, PostgreSQL and schema registry, with two instances in one group. */
class IpamServiceIT {

    private static SharedInfra infra;
    private static final List<ApplicationContext> instances = new ArrayList<>();
    private static KafkaProducer<String, SpecificRecord> producer;
    private static final EventMetadataFactory META = new EventMetadataFactory("registry-service", Clock.systemUTC());

    @BeforeAll
    static void start() {
        infra = SharedInfra.get();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> props = infra.serviceProperties("ipam_it");
            props.putAll(Map.ofEntries(
                    Map.entry("wgcp.pools.home-v4.network", "home"),
                    Map.entry("wgcp.pools.home-v4.cidr", "10.100.0.0/16"),
                    Map.entry("wgcp.pools.home-v4.reserved", List.of("10.100.0.1")),
                    Map.entry("wgcp.pools.home-v6.network", "home"),
                    Map.entry("wgcp.pools.home-v6.cidr", "fd00:100::/64"),
                    Map.entry("wgcp.pools.v6only.network", "lab"),
                    Map.entry("wgcp.pools.v6only.cidr", "fd00:200::/120"),
                    Map.entry("wgcp.pools.tiny-v4.network", "tiny"),
                    Map.entry("wgcp.pools.tiny-v4.cidr", "10.200.0.0/30")));
            instances.add(ApplicationContext.run(props));
        }
        producer = infra.eventProducer();
    }

    @AfterAll
    static void stop() {
        instances.forEach(ApplicationContext::close);
        if (producer != null) {
            producer.close();
        }
    }

    private static PeerRegistered registered(UUID id, String network) {
        return PeerRegistered.newBuilder().setMetadata(META.create("test", 1)).setPeerId(id.toString())
                .setNetworkId(network).setPublicKey("k-" + id).build();
    }

    private static void send(PeerRegistered event) {
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), event.getPeerId(), event));
    }

    private static List<AddressAssigned> assigned() {
        return TopicReader.events(infra.bootstrapServers(), infra.schemaRegistryUrl(), Topics.ADDRESSES, null).stream()
                .filter(AddressAssigned.class::isInstance).map(AddressAssigned.class::cast).toList();
    }

    private static List<dev.wgcp.events.v1.AddressAllocationFailed> failures() {
        return TopicReader.events(infra.bootstrapServers(), infra.schemaRegistryUrl(), Topics.ADDRESSES, null).stream()
                .filter(dev.wgcp.events.v1.AddressAllocationFailed.class::isInstance)
                .map(dev.wgcp.events.v1.AddressAllocationFailed.class::cast).toList();
    }

    @Test
    void anExhaustedPoolOrANetworkWithoutPoolSaysSoInAnEvent() {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID id : ids) {
            send(registered(id, "tiny"));
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> assigned().stream().anyMatch(a -> a.getPeerId().equals(id.toString()))
                    || failures().stream().anyMatch(f -> f.getPeerId().equals(id.toString())));
        }
        assertEquals(2, assigned().stream().filter(a -> ids.contains(UUID.fromString(a.getPeerId()))).count(), "a /30 has two hosts");
        dev.wgcp.events.v1.AddressAllocationFailed full = failures().stream()
                .filter(f -> f.getPeerId().equals(ids.get(2).toString())).findFirst().orElseThrow();
        assertEquals(dev.wgcp.events.v1.AllocationFailureReason.POOL_EXHAUSTED, full.getReason());
        assertTrue(full.getMessage().contains("tiny-v4 (10.200.0.0/30)"), full.getMessage());

        UUID orphan = UUID.randomUUID();
        send(registered(orphan, "nopool"));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(dev.wgcp.events.v1.AllocationFailureReason.NO_POOL,
                failures().stream().filter(f -> f.getPeerId().equals(orphan.toString())).findFirst().orElseThrow().getReason()));
    }

    @Test
    void everyPeerGetsOneDistinctDualStackAddressExactlyOnceEvenWhenRedelivered() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            PeerRegistered event = registered(id, "home");
            send(event);
            if (i % 10 == 0) {
                send(event); // a redelivery
            }
        }
        producer.flush();
        Set<String> wanted = ids.stream().map(UUID::toString).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(wanted,
                assigned().stream().map(AddressAssigned::getPeerId).filter(wanted::contains).collect(Collectors.toSet())));

        List<AddressAssigned> mine = assigned().stream().filter(a -> wanted.contains(a.getPeerId())).toList();
        assertEquals(300, mine.size(), "exactly one AddressAssigned per peer, redeliveries included");
        Set<String> v4 = new HashSet<>();
        Set<String> v6 = new HashSet<>();
        for (AddressAssigned a : mine) {
            assertEquals(true, v4.add(a.getIpv4Address()), "IPv4 address given twice: " + a.getIpv4Address());
            assertEquals(true, v6.add(a.getIpv6Address()), "IPv6 address given twice: " + a.getIpv6Address());
            assertEquals(true, a.getIpv4Address().startsWith("10.100."), a.getIpv4Address());
            assertEquals(false, "10.100.0.1".equals(a.getIpv4Address()), "reserved address handed out");
            assertEquals(1, a.getMetadata().getRevision());
            assertEquals("ipam-service", a.getMetadata().getProducer());
        }
    }

    @Test
    void replayOfAnOldRegistrationKeepsTheSameAddress() {
        UUID id = UUID.randomUUID();
        send(registered(id, "lab"));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> assigned().stream().anyMatch(a -> a.getPeerId().equals(id.toString())));
        send(registered(id, "lab"));
        UUID later = UUID.randomUUID();
        send(registered(later, "lab"));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> assigned().stream().anyMatch(a -> a.getPeerId().equals(later.toString())));
        List<AddressAssigned> forId = assigned().stream().filter(a -> a.getPeerId().equals(id.toString())).toList();
        assertEquals(1, forId.size());
        assertEquals(null, forId.get(0).getIpv4Address());
        assertEquals("fd00:200:0:0:0:0:0:1", forId.get(0).getIpv6Address());
    }
}
