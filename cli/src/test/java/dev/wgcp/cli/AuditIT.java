package dev.wgcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.events.v1.AppliedPeerChange;
import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerAction;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.RevocationReason;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `wgcp audit` against the real broker and schema registry, over a scripted history of one peer. */
class AuditIT {

    private static SharedInfra infra;
    private static final String PEER = UUID.randomUUID().toString();
    private static final String OTHER = UUID.randomUUID().toString();
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String K1 = "k1" + PEER.substring(0, 8) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String K2 = "k2" + PEER.substring(0, 8) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static EventMetadataFactory at(String producer, long seconds) {
        return new EventMetadataFactory(producer, Clock.fixed(T0.plusSeconds(seconds), ZoneOffset.UTC));
    }

    private static void send(KafkaProducer<String, SpecificRecord> p, TopicSpec topic, String key, SpecificRecord event) throws Exception {
        p.send(new ProducerRecord<>(topic.name(), key, event)).get();
    }

    @BeforeAll
    static void history() throws Exception {
        infra = SharedInfra.get();
        try (KafkaProducer<String, SpecificRecord> p = infra.eventProducer()) {
            send(p, Topics.PEERS, PEER, PeerRegistered.newBuilder().setMetadata(at("registry-service", 0).create("token:admin", 1))
                    .setPeerId(PEER).setNetworkId("home").setPublicKey(K1).setName("laptop").build());
            send(p, Topics.PEERS, OTHER, PeerRegistered.newBuilder().setMetadata(at("registry-service", 1).create("token:admin", 1))
                    .setPeerId(OTHER).setNetworkId("home").setPublicKey("other").build());
            send(p, Topics.ADDRESSES, PEER, AddressAssigned.newBuilder().setMetadata(at("ipam-service", 2).create("ipam-service", 1))
                    .setPeerId(PEER).setNetworkId("home").setPool("home-v4").setIpv4Address("10.100.0.7").build());
            send(p, Topics.APPLIED, "edge-0", AgentApplied.newBuilder().setMetadata(at("edge-agent:edge-0", 3).create("edge-agent:edge-0", 1))
                    .setEdgeId("edge-0").setInterfaceName("wg0").setTrigger("events").setAppliedAt(T0.plusSeconds(3)).setChanges(List.of(
                            change(PEER, K1, PeerAction.ADDED, "missing", List.of("10.100.0.7/32")),
                            change(OTHER, "other", PeerAction.ADDED, "missing", List.of("10.100.0.8/32")))).build());
            send(p, Topics.ENDPOINTS, PEER, EndpointChanged.newBuilder().setMetadata(at("endpoint-tracker", 4).create("endpoint-tracker", 1))
                    .setPeerId(PEER).setPublicKey(K1).setEdgeId("edge-0").setNewEndpoint("198.51.100.7:41000")
                    .setObservedAt(T0.plusSeconds(4)).setKind(EndpointChangeKind.FIRST_SEEN).build());
            send(p, Topics.PEERS, PEER, KeyRotated.newBuilder().setMetadata(at("registry-service", 5).create("peer:" + PEER, 2))
                    .setPeerId(PEER).setNetworkId("home").setOldPublicKey(K1).setNewPublicKey(K2)
                    .setOldKeyRevokedAt(T0.plusSeconds(305)).build());
            send(p, Topics.ENDPOINTS, PEER, EndpointChanged.newBuilder().setMetadata(at("endpoint-tracker", 6).create("endpoint-tracker", 2))
                    .setPeerId(PEER).setPublicKey(K2).setEdgeId("edge-0").setOldEndpoint("198.51.100.7:41000")
                    .setNewEndpoint("203.0.113.9:41000").setObservedAt(T0.plusSeconds(6)).setKind(EndpointChangeKind.ROAMED).build());
            send(p, Topics.PEERS, PEER, KeyRevoked.newBuilder().setMetadata(at("registry-service", 7).create("token:admin", 3))
                    .setPeerId(PEER).setNetworkId("home").setPublicKey(K2).setReason(RevocationReason.OPERATOR).build());
            send(p, Topics.APPLIED, "edge-0", AgentApplied.newBuilder().setMetadata(at("edge-agent:edge-0", 8).create("edge-agent:edge-0", 2))
                    .setEdgeId("edge-0").setInterfaceName("wg0").setTrigger("events").setAppliedAt(T0.plusSeconds(8)).setChanges(List.of(
                            change(PEER, K2, PeerAction.REMOVED, "key revoked", List.of()))).build());
        }
    }

    private static AppliedPeerChange change(String peer, String key, PeerAction action, String reason, List<String> ips) {
        return AppliedPeerChange.newBuilder().setPeerId(peer).setPublicKey(key).setAction(action).setReason(reason).setAllowedIps(ips)
                .build();
    }

    private static CliRun wgcp(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        int at = all.indexOf("audit") + 1;
        all.addAll(at, List.of("--kafka-config", infra.clientConfigFile(KafkaAccess.AUDIT).toString(), "--schema-registry-url", infra.schemaRegistryUrl()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void onePeersLifeIsExactlyItsHistoryInOrderWithActors() {
        CliRun run = wgcp("audit", "peer", PEER);
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of(
                "2026-11-20T10:00:00Z  registered in network home with key " + K1 + " named laptop  (by token:admin)",
                "2026-11-20T10:00:02Z  address 10.100.0.7 from pool home-v4  (by ipam-service)",
                "2026-11-20T10:00:03Z  applied on edge-0/wg0: ADDED " + K1 + " (missing) allowed-ips 10.100.0.7/32  (by edge-agent:edge-0)",
                "2026-11-20T10:00:04Z  endpoint seen by edge-0: FIRST_SEEN 198.51.100.7:41000  (by endpoint-tracker)",
                "2026-11-20T10:00:05Z  key rotated from " + K1 + " to " + K2 + " (the old key is revoked at 2026-11-20T10:05:05Z)  (by peer:"
                        + PEER + ")",
                "2026-11-20T10:00:06Z  endpoint seen by edge-0: ROAMED 198.51.100.7:41000 -> 203.0.113.9:41000  (by endpoint-tracker)",
                "2026-11-20T10:00:07Z  key " + K2 + " revoked (OPERATOR)  (by token:admin)",
                "2026-11-20T10:00:08Z  applied on edge-0/wg0: REMOVED " + K2 + " (key revoked)  (by edge-agent:edge-0)"),
                run.out().lines().toList());
    }

    @Test
    void aTopicIsReplayedFilteredAndDecodedWithoutAConsumerGroup() throws Exception {
        Set<String> groupsBefore = groups();
        CliRun revoked = wgcp("audit", "peers", "--peer", PEER, "--type", "KeyRevoked");
        assertEquals(0, revoked.exit(), revoked.err());
        List<String> lines = revoked.out().lines().toList();
        assertEquals(1, lines.size(), revoked.out());
        assertTrue(lines.get(0).startsWith("2026-11-20T10:00:07Z  wgcp.peers.v1["), lines.get(0));
        assertTrue(lines.get(0).contains("KeyRevoked  actor=token:admin rev=3 peerId=" + PEER) && lines.get(0).contains("reason=OPERATOR"),
                lines.get(0));

        CliRun byActor = wgcp("--json", "audit", "peers", "endpoints", "--peer", PEER, "--actor", "endpoint-tracker");
        List<JsonNode> json = byActor.out().lines().map(l -> {
            try {
                return Api.JSON.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(List.of("EndpointChanged", "EndpointChanged"), json.stream().map(j -> j.path("type").asText()).toList());
        assertEquals("203.0.113.9:41000", json.get(1).path("event").path("newEndpoint").asText());

        CliRun since = wgcp("audit", "endpoints", "--peer", PEER, "--from-time", "2026-11-20T10:00:05Z");
        // broker timestamps are when the test sent them (now), so --from-time 2026-11-20 keeps both; a later time keeps none
        assertEquals(2, since.out().lines().count(), since.out());
        CliRun none = wgcp("audit", "endpoints", "--peer", PEER, "--from-time", Instant.now().plusSeconds(3600).toString());
        assertEquals(0, none.out().lines().count(), none.out());

        CliRun bad = wgcp("audit", "peerz");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("is not a wgcp topic: expected one of wgcp.peers.v1"), bad.err());
        CliRun badTime = wgcp("audit", "peers", "--from-time", "yesterday");
        assertEquals(2, badTime.exit());
        assertTrue(badTime.err().contains("expected ISO-8601"), badTime.err());
        CliRun unknownPeer = wgcp("audit", "peer", UUID.randomUUID().toString());
        assertEquals(1, unknownPeer.exit());
        assertTrue(unknownPeer.err().contains("no event of peer"), unknownPeer.err());

        assertEquals(groupsBefore, groups(), "the audit joined no consumer group and committed nothing");
    }

    @Test
    void followShowsNewEventsAsTheyArrive() throws Exception {
        String peer = UUID.randomUUID().toString();
        StringWriter out = new StringWriter();
        var cli = Wgcp.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        Thread follower = new Thread(() -> cli.execute("audit", "--kafka-config", infra.clientConfigFile(KafkaAccess.AUDIT).toString(), "--schema-registry-url",
                infra.schemaRegistryUrl(), "peers", "--peer", peer, "--follow"));
        follower.start();
        try (KafkaProducer<String, SpecificRecord> p = infra.eventProducer()) {
            for (int i = 1; i <= 2; i++) {
                send(p, Topics.PEERS, peer, KeyRevoked.newBuilder().setMetadata(at("registry-service", 100 + i).create("token:admin", i))
                        .setPeerId(peer).setNetworkId("home").setPublicKey("K" + i).setReason(RevocationReason.OPERATOR).build());
                int expected = i;
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> out.toString().lines().filter(l -> l.contains(peer)).count() == expected);
            }
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
        assertFalse(follower.isAlive(), "an interrupted follow ends");
    }

    private static Set<String> groups() throws Exception {
        try (Admin admin = Admin.create(infra.clientProperties("test-admin"))) {
            return Set.copyOf(admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList());
        }
    }
}
