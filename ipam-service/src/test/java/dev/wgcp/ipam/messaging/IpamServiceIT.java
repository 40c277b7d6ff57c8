package dev.wgcp.ipam.messaging;

import dev.wgcp.schemas.kafka.KafkaAccess;
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

/**
 * ipam-service against the real broker, PostgreSQL and schema registry, with eight instances in one
 * consumer group on eight partitions of the peer topic.
 */
class IpamServiceIT {

    private static final int INSTANCES = 8;

    private static SharedInfra infra;
    private static final List<ApplicationContext> instances = new ArrayList<>();
    private static KafkaProducer<String, SpecificRecord> producer;
    private static final EventMetadataFactory META = new EventMetadataFactory("registry-service", Clock.systemUTC());

    @BeforeAll
    static void start() {
        infra = SharedInfra.get();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                infra.clientProperties("test-admin"))) {
            int partitions = admin.describeTopics(List.of(Topics.PEERS.name())).allTopicNames().get().get(Topics.PEERS.name()).partitions().size();
            if (partitions < INSTANCES) {
                admin.createPartitions(Map.of(Topics.PEERS.name(), org.apache.kafka.clients.admin.NewPartitions.increaseTo(INSTANCES))).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot give " + Topics.PEERS.name() + " " + INSTANCES + " partitions", e);
        }
        for (int i = 0; i < INSTANCES; i++) {
            Map<String, Object> props = infra.serviceProperties(KafkaAccess.IPAM, "ipam_it");
            props.put("datasources.default.maximum-pool-size", 3);
            props.put("wgcp.ipam.quarantine", "PT1H");
            props.putAll(infra.authProperties()); // API tokens are the registry's, checked by it
            props.putAll(Map.ofEntries(
                    Map.entry("wgcp.pools.home-v4.network", "home"),
                    Map.entry("wgcp.pools.home-v4.cidr", "10.100.0.0/16"),
                    Map.entry("wgcp.pools.home-v4.reserved", List.of("10.100.0.1")),
                    Map.entry("wgcp.pools.home-v6.network", "home"),
                    Map.entry("wgcp.pools.home-v6.cidr", "fd00:100::/64"),
                    Map.entry("wgcp.pools.v6only.network", "lab"),
                    Map.entry("wgcp.pools.v6only.cidr", "fd00:200::/120"),
                    Map.entry("wgcp.pools.tiny-v4.network", "tiny"),
                    Map.entry("wgcp.pools.tiny-v4.cidr", "10.200.0.0/30"),
                    Map.entry("wgcp.pools.recycle-v4.network", "recycle"),
                    Map.entry("wgcp.pools.recycle-v4.cidr", "10.201.0.0/29"),
                    Map.entry("wgcp.pools.seg-a.network", "seg"),
                    Map.entry("wgcp.pools.seg-a.cidr", "10.50.1.0/24"),
                    Map.entry("wgcp.pools.seg-a.edge", "edge-a"),
                    Map.entry("wgcp.pools.seg-a6.network", "seg"),
                    Map.entry("wgcp.pools.seg-a6.cidr", "fd50:a::/64"),
                    Map.entry("wgcp.pools.seg-a6.edge", "edge-a"),
                    Map.entry("wgcp.pools.seg-b.network", "seg"),
                    Map.entry("wgcp.pools.seg-b.cidr", "10.50.2.0/24"),
                    Map.entry("wgcp.pools.seg-b.edge", "edge-b"),
                    Map.entry("wgcp.pools.seg-b6.network", "seg"),
                    Map.entry("wgcp.pools.seg-b6.cidr", "fd50:b::/64"),
                    Map.entry("wgcp.pools.seg-b6.edge", "edge-b"),
                    Map.entry("wgcp.pools.imported-v4.network", "imported"),
                    Map.entry("wgcp.pools.imported-v4.cidr", "10.202.0.0/24")));
            instances.add(ApplicationContext.run(io.micronaut.runtime.server.EmbeddedServer.class, props).getApplicationContext());
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
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.ADDRESSES, null).stream()
                .filter(AddressAssigned.class::isInstance).map(AddressAssigned.class::cast).toList();
    }

    private static List<dev.wgcp.events.v1.AddressAllocationFailed> failures() {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.ADDRESSES, null).stream()
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
    void eightConsumersGiveTwoThousandPeersDistinctDualStackAddressesExactlyOnceEvenWhenRedelivered() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
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
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertEquals(wanted,
                assigned().stream().map(AddressAssigned::getPeerId).filter(wanted::contains).collect(Collectors.toSet())));

        List<AddressAssigned> mine = assigned().stream().filter(a -> wanted.contains(a.getPeerId())).toList();
        assertEquals(2000, mine.size(), "exactly one AddressAssigned per peer, redeliveries included");
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

    private static void sendEvent(String key, SpecificRecord event) {
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), key, event));
        producer.flush();
    }

    private static List<SpecificRecord> addressEvents(UUID peer) {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.ADDRESSES, peer.toString());
    }

    private static AddressAssigned awaitAssigned(UUID peer) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> addressEvents(peer).stream().filter(AddressAssigned.class::isInstance)
                .map(AddressAssigned.class::cast).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private static dev.wgcp.events.v1.AddressAllocationFailed awaitFailed(UUID peer) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> addressEvents(peer).stream()
                .filter(dev.wgcp.events.v1.AddressAllocationFailed.class::isInstance).map(dev.wgcp.events.v1.AddressAllocationFailed.class::cast)
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void anEventTheHandlerCannotTakeIsDeadLetteredAndTheEventsBehindItGoOn() {
        UUID good = UUID.randomUUID();
        String bad = "not-a-uuid-" + good;
        // The same key: the same partition, the good registration behind the one whose peer id is not a UUID.
        sendEvent(good.toString(), PeerRegistered.newBuilder(registered(good, "home")).setPeerId(bad).build());
        sendEvent(good.toString(), registered(good, "home"));
        assertTrue(awaitAssigned(good).getIpv4Address().startsWith("10.100."), "the event behind the bad one was handled");
        org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> TopicReader.raw(infra.admin(), Topics.deadLetter(Topics.PEERS.name())).stream()
                        .filter(r -> good.toString().equals(r.key())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertTrue(reason(dead).startsWith("the handler failed 5 times on this event: IllegalArgumentException: "), reason(dead));
        assertTrue(new String(dead.headers().lastHeader("wgcp.dlq.source").value()).startsWith(Topics.PEERS.name() + "/"));
    }

    private static String reason(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        var h = r.headers().lastHeader("wgcp.dlq.reason");
        return h == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aDeletedPeersAddressIsReleasedAndQuarantinedBeforeReuse() {
        List<UUID> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // a /29 has six
            UUID id = UUID.randomUUID();
            peers.add(id);
            sendEvent(id.toString(), registered(id, "recycle"));
        }
        Map<UUID, String> addresses = new java.util.HashMap<>();
        peers.forEach(p -> addresses.put(p, awaitAssigned(p).getIpv4Address()));
        UUID gone = peers.get(2);
        long before = System.currentTimeMillis();
        sendEvent(gone.toString(), dev.wgcp.events.v1.PeerRemoved.newBuilder().setMetadata(META.create("test", 2)).setPeerId(gone.toString())
                .setNetworkId("recycle").setPublicKey("k-" + gone).build());
        dev.wgcp.events.v1.AddressReleased released = await().atMost(Duration.ofSeconds(30)).until(() -> addressEvents(gone).stream()
                .filter(dev.wgcp.events.v1.AddressReleased.class::isInstance).map(dev.wgcp.events.v1.AddressReleased.class::cast).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertEquals(addresses.get(gone), released.getIpv4Address());
        assertEquals(2, released.getMetadata().getRevision(), "after AddressAssigned's 1");
        assertTrue(released.getQuarantinedUntil().toEpochMilli() >= before + Duration.ofMinutes(59).toMillis(), "an hour's quarantine");

        UUID waiting = UUID.randomUUID();
        sendEvent(waiting.toString(), registered(waiting, "recycle"));
        dev.wgcp.events.v1.AddressAllocationFailed full = awaitFailed(waiting);
        assertEquals(dev.wgcp.events.v1.AllocationFailureReason.POOL_EXHAUSTED, full.getReason());
        assertTrue(full.getMessage().contains("1 in quarantine until"), full.getMessage());

        sendEvent(gone.toString(), registered(gone, "recycle")); // a replay of the deleted peer's registration
        instances.forEach(i -> i.getBean(dev.wgcp.ipam.TestClock.class).advance(Duration.ofMinutes(61)));
        UUID later = UUID.randomUUID();
        sendEvent(later.toString(), registered(later, "recycle"));
        assertEquals(addresses.get(gone), awaitAssigned(later).getIpv4Address(), "out of quarantine, the address is used again");
        assertEquals(1, addressEvents(gone).stream().filter(AddressAssigned.class::isInstance).count(),
                "a deleted peer's replayed registration gets nothing");
    }

    @Test
    void aSegmentedNetworkGivesEachPeerBothAddressesFromOneEdgesSegment() {
        UUID onB = UUID.randomUUID();
        PeerRegistered wantsB = registered(onB, "seg");
        wantsB.setEdgeId("edge-b");
        sendEvent(onB.toString(), wantsB);
        AddressAssigned b = awaitAssigned(onB);
        assertEquals("edge-b", b.getEdgeId());
        assertTrue(b.getIpv4Address().startsWith("10.50.2."), b.getIpv4Address());
        assertTrue(b.getIpv6Address().startsWith("fd50:b:"), b.getIpv6Address());
        assertEquals("seg-b,seg-b6", b.getPool());

        Map<String, Integer> perEdge = new java.util.TreeMap<>();
        for (int i = 0; i < 9; i++) {
            UUID id = UUID.randomUUID();
            sendEvent(id.toString(), registered(id, "seg"));
            AddressAssigned a = awaitAssigned(id);
            assertEquals(a.getEdgeId().equals("edge-a") ? "10.50.1." : "10.50.2.", a.getIpv4Address().substring(0, 8));
            perEdge.merge(a.getEdgeId(), 1, Integer::sum);
        }
        assertEquals(Map.of("edge-a", 5, "edge-b", 5), Map.of("edge-a", perEdge.getOrDefault("edge-a", 0),
                "edge-b", perEdge.getOrDefault("edge-b", 0) + 1), "without a wish, the roomiest segment: " + perEdge);

        UUID onC = UUID.randomUUID();
        PeerRegistered wantsC = registered(onC, "seg");
        wantsC.setEdgeId("edge-c");
        sendEvent(onC.toString(), wantsC);
        dev.wgcp.events.v1.AddressAllocationFailed none = awaitFailed(onC);
        assertEquals(dev.wgcp.events.v1.AllocationFailureReason.NO_POOL, none.getReason());
        assertTrue(none.getMessage().contains("segments of edges edge-a, edge-b"), none.getMessage());
    }

    @Test
    void anAddressImportedBeforeTheRegistrationIsAnnouncedWhenItArrives() throws Exception {
        UUID peer = UUID.randomUUID();
        String url = instances.get(0).getBean(io.micronaut.runtime.server.EmbeddedServer.class).getURL() + "/v1/allocations/import";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(url)).header("Content-Type", "text/csv")
                        .header("Authorization", "Bearer " + SharedInfra.get().registry().adminToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("address,status,tenant,dns_name,cf_wgcp_peer_id\n"
                        + "10.202.0.77/24,active,imported,printer," + peer + "\n")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"announced\":0"), "not registered yet: " + r.body());
        sendEvent(peer.toString(), registered(peer, "imported"));
        AddressAssigned a = awaitAssigned(peer);
        assertEquals("10.202.0.77", a.getIpv4Address());
        UUID next = UUID.randomUUID();
        sendEvent(next.toString(), registered(next, "imported"));
        assertEquals("10.202.0.1", awaitAssigned(next).getIpv4Address());
    }
}
