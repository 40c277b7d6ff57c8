package dev.wgcp.edge.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.wireguard.WgDump;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.AppliedPeerChange;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.Netns;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.signing.SigningKey;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against the real broker and registry, driving a real wireguard-go interface in a namespace. */
class EdgeAgentIT {

    private static final EventMetadataFactory REGISTRY = new EventMetadataFactory("registry-service", Clock.systemUTC());
    private static final EventMetadataFactory IPAM = new EventMetadataFactory("ipam-service", Clock.systemUTC());

    @TempDir
    Path dir;
    private SharedInfra infra;
    private Netns ns;
    private String ifName;
    private String network;
    private Path keyFile;
    private KafkaProducer<String, SpecificRecord> producer;
    private ApplicationContext agent;
    private dev.wgcp.infra.WireGuardGo wireGuard;

    @BeforeEach
    void setUp() throws Exception {
        infra = SharedInfra.get();
        String id = Netns.uniqueSuffix();
        ifName = "wge" + id;
        network = "net-" + id;
        ns = Netns.create("wgcp-it-e" + id);
        wireGuard = ns.startWireGuard(ifName);
        keyFile = Files.createFile(dir.resolve("edge.key"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, WgKeys.generatePrivateKey() + "\n");
        // Records signed as the control plane signs them: peers by the registry's key, addresses by ipam's, rulesets by firewall-sync's.
        producer = infra.eventProducer();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        if (producer != null) {
            producer.close();
        }
        ns.close();
    }

    private ApplicationContext startAgent() {
        return startAgent(Map.of());
    }

    private ApplicationContext startAgent(Map<String, Object> extra) {
        Map<String, Object> props = infra.agentProperties("edge-" + ifName);
        props.putAll(Map.ofEntries(
                Map.entry("wgcp.agent.interface-name", ifName),
                Map.entry("wgcp.agent.netns", ns.name()),
                Map.entry("wgcp.agent.network", network),
                Map.entry("wgcp.agent.private-key-file", keyFile.toString()),
                Map.entry("wgcp.agent.listen-port", 51820),
                Map.entry("wgcp.agent.resync-interval", "300ms")));
        props.putAll(extra);
        return ApplicationContext.run(props);
    }

    private Map<String, LivePeer> live() {
        return WgDump.parsePeers(Shell.run("wg", "show", ifName, "dump"));
    }

    /** Every change this test's edge acknowledged for {@code publicKey}, oldest first, with the ack's trigger. */
    private List<String> acked(String publicKey) {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.APPLIED, "edge-" + ifName).stream()
                .filter(AgentApplied.class::isInstance).map(e -> (AgentApplied) e)
                .flatMap(a -> a.getChanges().stream().filter(c -> c.getPublicKey().equals(publicKey))
                        .map(c -> a.getTrigger() + " " + describe(c)))
                .toList();
    }

    private static String describe(AppliedPeerChange c) {
        return c.getAction() + " " + c.getPeerId() + " " + c.getAllowedIps() + " r" + c.getRegistryRevision() + "/a" + c.getAddressRevision();
    }

    private void send(TopicSpec topic, String key, SpecificRecord event) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, event)).get();
    }

    private String register(String address) throws Exception {
        String peerId = UUID.randomUUID().toString();
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        send(Topics.PEERS, peerId, PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(peerId)
                .setNetworkId(network).setPublicKey(key).build());
        send(Topics.ADDRESSES, peerId, AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(peerId)
                .setNetworkId(network).setPool("p").setIpv4Address(address).build());
        return peerId + " " + key;
    }

    @Test
    void aPartitionAddedWhileTheAgentRunsIsReadToo() throws Exception {
        agent = startAgent();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.getBean(EventFollower.class).isCaughtUp());
        int before;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(infra.clientProperties("test-admin"))) {
            before = admin.describeTopics(List.of(Topics.PEERS.name())).allTopicNames().get().get(Topics.PEERS.name()).partitions().size();
            admin.createPartitions(Map.of(Topics.PEERS.name(), org.apache.kafka.clients.admin.NewPartitions.increaseTo(before + 1))).all().get();
        }
        // A registration on the new partition (the address on the old ones): applied only if the agent reads it.
        String peerId = UUID.randomUUID().toString();
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        try (KafkaProducer<String, SpecificRecord> fresh = infra.eventProducer()) {
            fresh.send(new ProducerRecord<>(Topics.PEERS.name(), before, peerId, PeerRegistered.newBuilder()
                    .setMetadata(REGISTRY.create("test", 1)).setPeerId(peerId).setNetworkId(network).setPublicKey(key).build())).get();
        }
        send(Topics.ADDRESSES, peerId, AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(peerId)
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.9").build());
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertTrue(live().containsKey(key), "the peer on the new partition is on"));
    }

    @Test
    void appliesRegistrationsAndRevocationsAndRepairsDrift() throws Exception {
        agent = startAgent();
        // Caught up first: the registration is then applied by an events pass (before, the start pass may take it).
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.getBean(EventFollower.class).isCaughtUp());
        String[] a = register("10.100.0.2").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            LivePeer peer = live().get(a[1]);
            assertTrue(peer != null, "peer applied");
            assertEquals(List.of("10.100.0.2/32"), peer.allowedIps());
            assertNull(peer.endpoint(), "no endpoint: roaming clients dial in");
            assertEquals(0, peer.persistentKeepalive(), "no keepalive towards a peer without endpoint: its own config sends one");
        });
        assertTrue(Shell.run("wg", "show", ifName, "listen-port").strip().equals("51820"));
        // The agent says what it applied: this peer, at these revisions, is live on this edge.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(
                List.of("events ADDED " + a[0] + " [10.100.0.2/32] r1/a1"), acked(a[1])));

        // Drift: a peer removed by hand comes back with the next resync.
        Shell.run("wg", "set", ifName, "peer", a[1], "remove");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(live().containsKey(a[1]), "removed by hand, restored"));

        // Drift: a hand-made peer and hand-edited allowed-ips are repaired by the resync timer.
        String stranger = WgKeys.publicKey(WgKeys.generatePrivateKey());
        Shell.run("wg", "set", ifName, "peer", stranger, "allowed-ips", "10.100.0.66/32");
        Shell.run("wg", "set", ifName, "peer", a[1], "allowed-ips", "10.100.0.99/32");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, LivePeer> live = live();
            assertFalse(live.containsKey(stranger), "unknown peer removed");
            assertEquals(List.of("10.100.0.2/32"), live.get(a[1]).allowedIps());
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertTrue(acked(a[1]).contains("resync UPDATED " + a[0] + " [10.100.0.2/32] r1/a1"), "drift repair acknowledged: " + acked(a[1]));
            assertEquals(List.of("resync REMOVED null [] r0/a0"), acked(stranger), "unknown peer's removal acknowledged");
        });
        io.micrometer.core.instrument.MeterRegistry meters = agent.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        for (String what : List.of("missing-peer", "unknown-peer", "allowed-ips")) {
            assertEquals(1.0, meters.get("wgcp.agent.drift.repairs").tag("what", what).counter().count(), what + " drift counted");
        }
        assertEquals(1.0, meters.get("wgcp.agent.peers").tag("state", "desired").gauge().value());
        assertTrue(meters.get("wgcp.agent.reconcile.duration").tag("kind", "full").timer().count() > 0, "passes timed");
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("wgcp.agent.consumer.lag").gauge().value() >= 0);

        send(Topics.PEERS, a[0], KeyRevoked.newBuilder().setMetadata(REGISTRY.create("test", 2)).setPeerId(a[0])
                .setNetworkId(network).setPublicKey(a[1]).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFalse(live().containsKey(a[1]), "revoked key removed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> acks = acked(a[1]);
            assertEquals("events REMOVED " + a[0] + " [] r2/a1", acks.get(acks.size() - 1), "revocation acknowledged: " + acks);
        });
    }

    @Test
    void duplicatedAndReorderedEventsEndAsTheRegistrySays() throws Exception {
        agent = startAgent();
        // b: its address is read before its registration (the two topics are read side by side), and both twice.
        String bId = UUID.randomUUID().toString();
        String bKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        AddressAssigned bAddress = AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(bId)
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.12").build();
        PeerRegistered bRegistered = PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(bId)
                .setNetworkId(network).setPublicKey(bKey).build();
        send(Topics.ADDRESSES, bId, bAddress);
        send(Topics.ADDRESSES, bId, bAddress);
        send(Topics.PEERS, bId, bRegistered);
        send(Topics.PEERS, bId, bRegistered);
        // c: revoked, then its registration and address replayed: a revoked key never comes back.
        String[] c = register("10.100.0.13").split(" ");
        KeyRevoked cRevoked = KeyRevoked.newBuilder().setMetadata(REGISTRY.create("test", 2)).setPeerId(c[0])
                .setNetworkId(network).setPublicKey(c[1]).build();
        send(Topics.PEERS, c[0], cRevoked);
        send(Topics.PEERS, c[0], cRevoked);
        send(Topics.PEERS, c[0], PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(c[0])
                .setNetworkId(network).setPublicKey(c[1]).build());
        send(Topics.ADDRESSES, c[0], AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(c[0])
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.13").build());
        String[] d = register("10.100.0.14").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(d[1]), "the last event is applied"));
        Map<String, LivePeer> live = live();
        assertEquals(List.of("10.100.0.12/32"), live.get(bKey).allowedIps(), "address before registration, both twice: one peer");
        assertFalse(live.containsKey(c[1]), "a replayed registration does not bring a revoked key back");
        assertEquals(2, live.size(), live.keySet().toString());

        // The same from a replay of everything at a restart.
        agent.close();
        Shell.run("wg", "set", ifName, "peer", bKey, "remove");
        agent = startAgent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(java.util.Set.of(bKey, d[1]), live().keySet()));
    }

    @Test
    void aWireguardGoThatCrashesAndComesBackGetsItsKeyPortAndPeersBackWithoutAResync() throws Exception {
        agent = startAgent(Map.of("wgcp.agent.resync-interval", "1h")); // only the loss itself may bring them back
        String[] a = register("10.100.0.2").split(" ");
        String[] b = register("10.100.0.3").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(java.util.Set.of(a[1], b[1]), live().keySet()));
        String publicKey = WgKeys.publicKey(Files.readString(keyFile).strip());
        assertEquals(publicKey, Shell.run("wg", "show", ifName, "public-key").strip());

        wireGuard.kill();
        wireGuard = ns.startWireGuard(ifName); // a supervisor restarts it: no key, no port, no peers
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(java.util.Set.of(a[1], b[1]), live().keySet(), "the peers are back");
            assertEquals(publicKey, Shell.run("wg", "show", ifName, "public-key").strip(), "and the interface's key");
            assertEquals("51820", Shell.run("wg", "show", ifName, "listen-port").strip(), "and its port");
        });
    }

    @Test
    void anInterfaceThatComesLaterIsConfiguredAndFilledWithoutARestart() throws Exception {
        String late = "wgl" + ifName.substring(3);
        agent = startAgent(Map.of("wgcp.agent.interface-name", late));
        String[] a = register("10.100.0.2").split(" ");
        assertTrue(agent.isRunning(), "the agent runs without its interface, following the events");
        ns.startWireGuard(late);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertTrue(WgDump.parsePeers(Shell.run("wg", "show", late, "dump")).containsKey(a[1]), "the peer applied once it exists");
            assertEquals("51820", Shell.run("wg", "show", late, "listen-port").strip(), "and the interface configured");
        });
    }

    @Test
    void theEdgeReportsItsOwnPublicAddressAtStartAndWhenItChanges() throws Exception {
        ns.exec("ip", "link", "set", "lo", "up");
        ns.exec("ip", "addr", "add", "198.51.100.77/32", "dev", "lo"); // the server's "public" address, in its namespace
        agent = startAgent(Map.of("wgcp.agent.public-address-interface", "lo", "wgcp.agent.public-address-interval", "200ms"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of(List.of("198.51.100.77")), reportedAddresses()));
        ns.exec("ip", "addr", "del", "198.51.100.77/32", "dev", "lo"); // a new lease
        ns.exec("ip", "addr", "add", "198.51.100.78/32", "dev", "lo");
        // Moving an address is two changes (a read between them sees none): each state is reported once, never again.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<List<String>> reported = reportedAddresses();
            assertEquals(List.of("198.51.100.77"), reported.get(0));
            assertEquals(List.of("198.51.100.78"), reported.get(reported.size() - 1), String.valueOf(reported));
            for (int i = 1; i < reported.size(); i++) {
                assertFalse(reported.get(i).equals(reported.get(i - 1)), "reported once per change: " + reported);
            }
        });
    }

    private List<List<String>> reportedAddresses() {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.OBSERVATIONS, "edge-" + ifName).stream()
                .filter(EdgeAddressObserved.class::isInstance).map(e -> ((EdgeAddressObserved) e).getAddresses().stream()
                        .map(String::valueOf).toList())
                .toList();
    }

    @Test
    void aSiteToSitePeerIsDialledAtItsResolvedNameWithItsKeepalive() throws Exception {
        agent = startAgent();
        String peerId = UUID.randomUUID().toString();
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        send(Topics.PEERS, peerId, PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(peerId)
                .setNetworkId(network).setPublicKey(key).setEndpoint("localhost:51999").build());
        send(Topics.ADDRESSES, peerId, AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(peerId)
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.30").build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            LivePeer site = live().get(key);
            assertTrue(site != null, "site peer applied");
            assertEquals("127.0.0.1:51999", site.endpoint(), "the name resolved");
            assertEquals(25, site.persistentKeepalive(), "the edge keeps the site's NAT mapping open");
        });
    }

    @Test
    void oneAgentDrivesSeveralInterfacesEachWithItsNetwork() throws Exception {
        String second = "wgs" + ifName.substring(3);
        String otherNetwork = network + "-b";
        ns.startWireGuard(second);
        agent = startAgent(Map.of(
                "wgcp.agent.interfaces." + ifName + ".network", network,
                "wgcp.agent.interfaces." + ifName + ".private-key-file", keyFile.toString(),
                "wgcp.agent.interfaces." + ifName + ".listen-port", 51820,
                "wgcp.agent.interfaces." + second + ".network", otherNetwork,
                "wgcp.agent.interfaces." + second + ".private-key-file", keyFile.toString(),
                "wgcp.agent.interfaces." + second + ".listen-port", 51821));
        String[] a = register("10.100.0.2").split(" ");
        String bId = UUID.randomUUID().toString();
        String bKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        send(Topics.PEERS, bId, PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(bId)
                .setNetworkId(otherNetwork).setPublicKey(bKey).build());
        send(Topics.ADDRESSES, bId, AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(bId)
                .setNetworkId(otherNetwork).setPool("p").setIpv4Address("10.101.0.2").build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, LivePeer> first = live();
            Map<String, LivePeer> other = WgDump.parsePeers(Shell.run("wg", "show", second, "dump"));
            assertEquals(java.util.Set.of(a[1]), first.keySet(), "network " + network + " on " + ifName);
            assertEquals(java.util.Set.of(bKey), other.keySet(), "network " + otherNetwork + " on " + second);
        });
        assertEquals("51821", Shell.run("wg", "show", second, "listen-port").strip(), "each interface configured");
        assertEquals(2, agent.getBean(Interfaces.class).all().size());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(TopicReader.events(infra.admin(),
                        infra.schemaRegistryUrl(), Topics.APPLIED, "edge-" + ifName).stream().filter(AgentApplied.class::isInstance).map(e -> (AgentApplied) e)
                .anyMatch(x -> x.getInterfaceName().equals(second) && x.getChanges().stream().anyMatch(c -> c.getPublicKey().equals(bKey))),
                "the ack names the interface"));
    }

    @Test
    void rebuildsFromTheTopicsOnRestartAndDeadLettersGarbage() throws Exception {
        String[] a = register("10.100.0.2").split(" ");
        String[] b = register("10.100.0.3").split(" ");
        send(Topics.PEERS, b[0], KeyRevoked.newBuilder().setMetadata(REGISTRY.create("test", 2)).setPeerId(b[0])
                .setNetworkId(network).setPublicKey(b[1]).build());
        Properties p = infra.clientProperties("test-producer");
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.PEERS.name(), "garbage", new byte[] {0, 0, 0, 0x7f, 0x7f, 1})).get();
        }
        String[] c = register("10.100.0.4").split(" ");

        // The agent starts after all of it happened: everything comes from replaying the topics.
        agent = startAgent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, LivePeer> live = live();
            assertTrue(live.containsKey(a[1]) && live.containsKey(c[1]), "registered peers rebuilt: " + live.keySet());
            assertFalse(live.containsKey(b[1]), "a revoked peer is not re-added by a replay");
        });

        agent.close();
        Shell.run("wg", "set", ifName, "peer", a[1], "remove");
        agent = startAgent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(a[1]), "restored after restart"));
    }

    private final EventMetadataFactory firewallSync = new EventMetadataFactory("firewall-sync", Clock.systemUTC());

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<String, SpecificRecord> signingAs(SharedInfra infra, java.util.function.Function<String, SigningKey> keys) {
        return new KafkaProducer<>(infra.clientProperties("test-forger"), new StringSerializer(),
                new EventSerializer(new dev.wgcp.schemas.SchemaRegistryClient(infra.schemaRegistryUrl()), keys));
    }

    /** What the agent dead-lettered from {@code topic}: each refused record's reason. */
    private List<String> refusedFrom(TopicSpec topic) {
        String consumer = "edge-agent-edge-" + ifName;
        return TopicReader.raw(infra.admin(), Topics.deadLetter(topic.name())).stream()
                .filter(r -> r.headers().lastHeader("wgcp.dlq.consumer") != null
                        && consumer.equals(new String(r.headers().lastHeader("wgcp.dlq.consumer").value())))
                .map(r -> new String(r.headers().lastHeader("wgcp.dlq.reason").value())).toList();
    }

    @Test
    void appliesOnlyWhatTheControlPlaneSignedAndOnlyWellFormedFields() throws Exception {
        agent = startAgent(Map.of("wgcp.agent.firewall-enabled", "false"));
        String[] a = register("10.100.0.2").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(a[1]), "a signed peer is applied"));
        io.micrometer.core.instrument.MeterRegistry meters = agent.getBean(io.micrometer.core.instrument.MeterRegistry.class);

        // Someone with the broker's admin credential, but none of the control plane's keys, forges a peer onto the edge.
        String forgedId = UUID.randomUUID().toString();
        String forgedKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        SpecificRecord forgedPeer = PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(forgedId)
                .setNetworkId(network).setPublicKey(forgedKey).build();
        SpecificRecord forgedAddress = AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(forgedId)
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.2").build();
        try (KafkaProducer<String, SpecificRecord> unsigned = infra.unsignedProducer()) {
            unsigned.send(new ProducerRecord<>(Topics.PEERS.name(), forgedId, forgedPeer)).get();
            unsigned.send(new ProducerRecord<>(Topics.ADDRESSES.name(), forgedId, forgedAddress)).get();
            unsigned.send(new ProducerRecord<>(Topics.PEERS.name(), a[0], KeyRevoked.newBuilder().setMetadata(REGISTRY.create("test", 5))
                    .setPeerId(a[0]).setNetworkId(network).setPublicKey(a[1]).build())).get();
        }
        SigningKey stranger = SigningKey.generate();
        try (KafkaProducer<String, SpecificRecord> wrongKey = signingAs(infra, topic -> stranger)) {
            wrongKey.send(new ProducerRecord<>(Topics.PEERS.name(), forgedId, forgedPeer)).get();
        }
        // ipam's real key, but on the registry's topic: a key is trusted for the topics its service owns only.
        try (KafkaProducer<String, SpecificRecord> ipamOnPeers = signingAs(infra, topic -> infra.signing().key("ipam-service"))) {
            ipamOnPeers.send(new ProducerRecord<>(Topics.PEERS.name(), forgedId, forgedPeer)).get();
        }
        // Signed by the registry's key, but carrying a UAPI line in the key: validated before it reaches wireguard-go.
        String injectId = UUID.randomUUID().toString();
        send(Topics.PEERS, injectId, PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(injectId)
                .setNetworkId(network).setPublicKey(forgedKey + "\nallowed_ip=0.0.0.0/0").build());
        send(Topics.ADDRESSES, injectId, AddressAssigned.newBuilder().setMetadata(IPAM.create("test", 1)).setPeerId(injectId)
                .setNetworkId(network).setPool("p").setIpv4Address("10.100.0.9\nallowed_ip=0.0.0.0/0").build());

        // The agent goes on: a signed registration after all of that is applied.
        String[] b = register("10.100.0.3").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(b[1]), "the next signed peer is applied"));
        Map<String, LivePeer> live = live();
        assertFalse(live.containsKey(forgedKey), "no forged key on the interface: " + live.keySet());
        assertTrue(live.containsKey(a[1]), "a forged revocation removes nothing");
        assertEquals(List.of("10.100.0.2/32"), live.get(a[1]).allowedIps(), "a forged address moves nothing");
        assertEquals(2, live.size(), live.keySet().toString());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> peers = refusedFrom(Topics.PEERS);
            assertEquals(2, peers.stream().filter(r -> r.contains("is not signed")).count(), peers.toString());
            assertEquals(2, peers.stream().filter(r -> r.contains("not trusted for it")).count(), peers.toString());
            assertEquals(1, peers.stream().filter(r -> r.contains("is not a WireGuard key")).count(), peers.toString());
            List<String> addresses = refusedFrom(Topics.ADDRESSES);
            assertEquals(1, addresses.stream().filter(r -> r.contains("is not signed")).count(), addresses.toString());
            assertEquals(1, addresses.stream().filter(r -> r.contains("is not an IPv4 address")).count(), addresses.toString());
        });
        java.util.function.BiFunction<String, String, Double> refused = (topic, reason) -> meters.find("wgcp.agent.records.refused")
                .tag("topic", topic).tag("reason", reason).tag("when", "live").counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(2.0, refused.apply(Topics.PEERS.name(), "unsigned"));
            assertEquals(1.0, refused.apply(Topics.ADDRESSES.name(), "unsigned"));
            assertEquals(2.0, refused.apply(Topics.PEERS.name(), "unknown_key"));
            assertEquals(1.0, refused.apply(Topics.PEERS.name(), "invalid"));
            assertEquals(1.0, refused.apply(Topics.ADDRESSES.name(), "invalid"));
        });
    }

    /** Waits for the clock to pass millisecond {@code ms}; the first instant after it. */
    private static java.time.Instant nextMillisecond(long ms) {
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > ms);
        return java.time.Instant.ofEpochMilli(System.currentTimeMillis());
    }

    @Test
    void everyRouteOfTheAgentButHealthNeedsItsOwnToken() throws Exception {
        agent = startAgent(Map.of("wgcp.agent.firewall-enabled", "false"));
        io.micronaut.runtime.server.EmbeddedServer server = agent.getBean(io.micronaut.runtime.server.EmbeddedServer.class).start();
        Path tokenFile = infra.agentTokenFile("edge-" + ifName);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokenFile), "made at the first start, 0600");
        String token = Files.readString(tokenFile).strip();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        // Every route the agent serves, from its router: a route added later without the token check fails here.
        List<String[]> routes = agent.getBean(io.micronaut.web.router.Router.class).uriRoutes()
                .map(r -> new String[] {r.getHttpMethodName(), r.getUriMatchTemplate().toString().replaceAll("\\{[^}]*}", "x")})
                .distinct().toList();
        assertTrue(routes.stream().anyMatch(r -> r[1].equals("/v1/reconcile")) && routes.stream().anyMatch(r -> r[1].equals("/prometheus")),
                "the routes are read: " + routes.stream().map(r -> r[0] + " " + r[1]).toList());
        for (String[] r : routes) {
            java.util.function.Function<String, Integer> call = auth -> {
                java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.getURL() + r[1]))
                        .method(r[0], java.net.http.HttpRequest.BodyPublishers.noBody());
                if (auth != null) {
                    b.header("Authorization", auth);
                }
                try {
                    return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            if (r[1].equals("/health") || r[1].startsWith("/health/")) {
                assertTrue(call.apply(null) != 401, r[1] + " is open");
                continue;
            }
            assertEquals(401, call.apply(null), r[0] + " " + r[1] + " without a token");
            assertEquals(401, call.apply("Bearer wgca_not-the-token"), r[0] + " " + r[1] + " with another token");
            assertTrue(call.apply("Bearer " + token) != 401, r[0] + " " + r[1] + " with the agent's token");
        }
        java.net.http.HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.getURL() + "/v1/status")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(refused.body().contains("wgcp.agent.api-token-file") && !refused.body().contains("Exception"), refused.body());
        assertTrue(refused.body().startsWith("{\"status\":401,\"error\":\"unauthorized\",\"message\":"), "the services' error shape: "
                + refused.body());
        // What the framework answers itself has the same shape (http-kit's PlainErrorResponses).
        java.net.http.HttpResponse<String> nowhere = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.getURL() + "/v1/nowhere")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(404, nowhere.statusCode());
        assertTrue(nowhere.body().startsWith("{\"status\":404,\"error\":\"not_found\",\"message\":\"no such path: /v1/nowhere"),
                nowhere.body());
    }

    @Test
    void aRotatedSigningKeyKeepsItsHistoryAndVouchesForNothingAfterItsRetirement() throws Exception {
        SigningKey old = SigningKey.generate();
        SigningKey next = SigningKey.generate();
        java.util.function.Function<String, SigningKey> oldRegistry = topic -> topic.equals(Topics.PEERS.name()) ? old
                : infra.signing().ownerKey(topic);
        java.util.function.Function<String, SigningKey> nextRegistry = topic -> topic.equals(Topics.PEERS.name()) ? next
                : infra.signing().ownerKey(topic);
        String[] a;
        try (KafkaProducer<String, SpecificRecord> before = signingAs(infra, oldRegistry)) {
            producer.close();
            producer = before;
            a = register("10.100.0.2").split(" ");
        }
        // The registry switches to the new key; from this moment (as the broker stamps records) the old one is retired.
        // The broker stamps whole milliseconds: the retirement falls strictly between a's append and the next ones.
        java.time.Instant retired = nextMillisecond(System.currentTimeMillis());
        nextMillisecond(retired.toEpochMilli());
        String[] b;
        String[] c;
        try (KafkaProducer<String, SpecificRecord> after = signingAs(infra, nextRegistry);
             KafkaProducer<String, SpecificRecord> stolen = signingAs(infra, oldRegistry)) {
            producer = after;
            b = register("10.100.0.3").split(" ");
            producer = stolen; // whoever kept the retired key signs a new peer with it
            c = register("10.100.0.4").split(" ");
        } finally {
            producer = infra.eventProducer();
        }
        Map<String, Object> trust = new java.util.HashMap<>(Map.of("wgcp.agent.firewall-enabled", "false",
                "wgcp.trust.registry-service", next.publicKey().toBase64() + "," + old.publicKey().toBase64() + "@" + retired));
        agent = startAgent(trust);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, LivePeer> live = live();
            assertTrue(live.containsKey(a[1]), "history signed with the old key before its retirement stays: " + live.keySet());
            assertTrue(live.containsKey(b[1]), "the new key's records apply");
        });
        assertFalse(live().containsKey(c[1]), "the retired key vouches for nothing appended after its retirement");
        assertEquals(1.0, agent.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("wgcp.agent.records.refused")
                .tag("topic", Topics.PEERS.name()).tag("reason", "retired_key").tag("when", "replay").counter().count());
    }

    @Test
    void aRecordChangedAfterSigningIsRefused() throws Exception {
        agent = startAgent(Map.of("wgcp.agent.firewall-enabled", "false"));
        String[] first = register("10.100.0.2").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(first[1]), "caught up with the history"));
        String id = UUID.randomUUID().toString();
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        PeerRegistered event = PeerRegistered.newBuilder().setMetadata(REGISTRY.create("test", 1)).setPeerId(id).setNetworkId(network)
                .setPublicKey(key).build();
        // Signed by the registry, then one byte of the value changed on the way (the headers kept).
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        byte[] value = new EventSerializer(new dev.wgcp.schemas.SchemaRegistryClient(infra.schemaRegistryUrl()),
                infra.signing().key("registry-service")).serialize(Topics.PEERS.name(), headers, event);
        value[value.length - 1] ^= 1;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(infra.clientProperties("test-tamper"), new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.PEERS.name(), null, id, value, headers)).get();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertTrue(refusedFrom(Topics.PEERS).stream().anyMatch(r -> r.contains("did not make for it")), refusedFrom(Topics.PEERS).toString());
            assertEquals(1.0, agent.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("wgcp.agent.records.refused")
                    .tag("topic", Topics.PEERS.name()).tag("reason", "bad_signature").tag("when", "live").counter().count());
        });
        assertFalse(live().containsKey(key), "the changed record is not applied");
    }

    /** A ruleset as firewall-sync writes them: the agent's table, replaced as a whole, letting {@code allowed} in. */
    private void publishRuleset(long revision, String... allowed) throws Exception {
        String set = allowed.length == 0 ? "" : "\t\telements = { " + String.join(", ", allowed) + " }\n";
        String script = "table inet wgcp {}\ndelete table inet wgcp\ntable inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n" + set
                + "\t}\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
                + "\t\tiifname \"" + ifName + "\" ip saddr @peers_v4 accept\n\t\tiifname \"" + ifName + "\" counter drop\n\t}\n}\n";
        send(Topics.RULESETS, "edge-" + ifName, dev.wgcp.events.v1.FirewallRulesetChanged.newBuilder()
                .setMetadata(firewallSync.create("test", revision)).setEdgeId("edge-" + ifName).setTable("inet wgcp")
                .setRuleset(script).setSha256(sha256(script))
                .setAllowedAddresses(List.of(allowed)).build());
    }

    private String table() {
        return ns.tryExec("nft", "list", "table", "inet", "wgcp").output();
    }

    @Test
    void rulesetsGoOnBeforeTheirPeersAndComeOffAfterThemAndDriftIsRepaired() throws Exception {
        agent = startAgent(Map.of("wgcp.agent.firewall-wait", "2s"));
        publishRuleset(1, "10.100.0.2");
        String[] a = register("10.100.0.2").split(" ");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(live().containsKey(a[1]), "an allowed peer is added"));
        assertTrue(table().contains("10.100.0.2"), "its ruleset is on: " + table());

        // A new peer waits for a ruleset that lets it in: its first packets would be dropped otherwise.
        String[] b = register("10.100.0.3").split(" ");
        Reconciler reconciler = agent.getBean(Interfaces.class).first().reconciler();
        await().atMost(Duration.ofSeconds(10)).until(reconciler::hasDeferred);
        assertFalse(live().containsKey(b[1]), "not added before the ruleset allows it");
        publishRuleset(2, "10.100.0.2", "10.100.0.3");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(live().containsKey(b[1])));
        assertTrue(table().contains("10.100.0.3"), "the ruleset went on first: " + table());

        // A ruleset that drops a peer the agent still has waits for the peer's revocation to arrive.
        publishRuleset(3, "10.100.0.3");
        await().atMost(Duration.ofSeconds(10)).until(reconciler::hasDeferred);
        assertTrue(table().contains("10.100.0.2") && live().containsKey(a[1]), "rules stay while the peer is on WireGuard");
        send(Topics.PEERS, a[0], KeyRevoked.newBuilder().setMetadata(REGISTRY.create("test", 2)).setPeerId(a[0])
                .setNetworkId(network).setPublicKey(a[1]).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertFalse(live().containsKey(a[1]), "revoked peer removed");
            assertFalse(table().contains("10.100.0.2"), "then its rules: " + table());
        });

        // Drift in the agent's table: deleted, or a rule added by hand; both repaired by the resync timer.
        FirewallSyncProbe probe = new FirewallSyncProbe(agent);
        long repairs = probe.drifts();
        ns.exec("nft", "delete", "table", "inet", "wgcp");
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.drifts() >= repairs + 1); // re-applied, and its listing taken
        assertTrue(table().contains("10.100.0.3"), "table restored: " + table());
        ns.exec("nft", "add", "rule", "inet", "wgcp", "input", "iifname", ifName, "accept");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFalse(table().contains("iifname \"" + ifName + "\" accept"),
                "hand-made rule removed: " + table()));
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.drifts() >= repairs + 2);
        ns.exec("nft", "delete", "element", "inet", "wgcp", "peers_v4", "{ 10.100.0.3 }");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(table().contains("10.100.0.3"), "element restored"));
        // The repair is counted once its listing is taken, a moment after the element is back.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(probe.drifts() >= repairs + 3, "drift repairs counted"));
        assertTrue(agent.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("wgcp.agent.drift.repairs")
                .tag("what", "firewall-table").counter().count() >= 2, "and exported");

        // A ruleset nft refuses (well-formed for the agent's checks, not for nft): the table stays as it was, and the agent says so.
        String before = table();
        String nonsense = "table inet wgcp {}\ndelete table inet wgcp\ntable inet wgcp {\n\tchain input {\n\t\ttype nonsense;\n\t}\n}\n";
        send(Topics.RULESETS, "edge-" + ifName, dev.wgcp.events.v1.FirewallRulesetChanged.newBuilder()
                .setMetadata(firewallSync.create("test", 9)).setEdgeId("edge-" + ifName).setTable("inet wgcp")
                .setRuleset(nonsense).setSha256(sha256(nonsense)).setAllowedAddresses(List.of("10.100.0.3")).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(TopicReader.events(infra.admin(),
                        infra.schemaRegistryUrl(), Topics.RULESET_ACKS, "edge-" + ifName).stream()
                .filter(dev.wgcp.events.v1.RulesetApplied.class::isInstance).map(dev.wgcp.events.v1.RulesetApplied.class::cast)
                .anyMatch(r -> r.getRulesetRevision() == 9 && !r.getApplied() && r.getReason().contains("nft refused")), "refusal acknowledged"));
        assertEquals(before, table(), "the previous ruleset stays in force");
        assertTrue(agent.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("wgcp.agent.firewall.rulesets")
                .tag("result", "refused").counter().count() >= 1, "refusals counted");
        publishRuleset(10, "10.100.0.3");

        // No ruleset letting a new peer in within the wait: it is added anyway (with a warning).
        String[] c = register("10.100.0.4").split(" ");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(live().containsKey(c[1]), "added after the wait"));
    }

    /** Reads the agent's firewall counters. */
    private record FirewallSyncProbe(ApplicationContext agent) {
        long drifts() {
            return agent.getBean(dev.wgcp.edge.firewall.FirewallSync.class).drifts();
        }
    }
}
