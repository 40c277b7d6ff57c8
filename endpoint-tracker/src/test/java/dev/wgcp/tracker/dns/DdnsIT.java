package dev.wgcp.tracker.dns;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.events.v1.RevocationReason;
import dev.wgcp.infra.BindServer;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Dynamic DNS against a real authoritative server (BIND 9's named on loopback, a TSIG key), with the
 * tracker on the real broker and PostgreSQL: records follow roams, a wrong key is refused and
 * reported, a server that is down delays updates without losing them.
 */
class DdnsIT {

    @TempDir
    static Path dir;
    private static SharedInfra infra;
    private static BindServer dns;
    private static ApplicationContext tracker;
    private static EmbeddedServer server;
    private static KafkaProducer<String, SpecificRecord> producer;
    /** What each edge's agent writes, signed with that edge's key. */
    private static final Map<String, KafkaProducer<String, SpecificRecord>> edges = new java.util.concurrent.ConcurrentHashMap<>();
    private static final EventMetadataFactory META = new EventMetadataFactory("test", Clock.systemUTC());
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = SharedInfra.get();
        dns = BindServer.start(dir.resolve("named"), "wg.test", "wgcp-ddns");
        Path key = dir.resolve("ddns.key");
        Files.writeString(key, "key \"wgcp-ddns\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + dns.secret() + "\";\n};\n");
        Map<String, Object> p = infra.serviceProperties(KafkaAccess.TRACKER, "ddns_it");
        p.putAll(infra.authProperties()); // API tokens are the registry's, checked by it
        p.put("wgcp.tracker.ddns.retry-min", "200ms");
        p.put("wgcp.tracker.ddns.retry-max", "1s");
        p.put("wgcp.tracker.ddns.poll-interval", "100ms");
        p.put("wgcp.tracker.ddns.zones.home.zone", "wg.test");
        p.put("wgcp.tracker.ddns.zones.home.server", "127.0.0.1:" + dns.port());
        p.put("wgcp.tracker.ddns.zones.home.tsig-key-name", "wgcp-ddns");
        p.put("wgcp.tracker.ddns.zones.home.tsig-secret-file", key.toString());
        p.put("wgcp.tracker.ddns.zones.home.networks", "home");
        p.put("wgcp.tracker.ddns.zones.home.timeout", "2s");
        // The same zone with a key the server does not know: updates for network "office" are refused.
        p.put("wgcp.tracker.ddns.zones.wrongkey.zone", "wg.test");
        p.put("wgcp.tracker.ddns.zones.wrongkey.server", "127.0.0.1:" + dns.port());
        p.put("wgcp.tracker.ddns.zones.wrongkey.tsig-key-name", "wgcp-ddns");
        p.put("wgcp.tracker.ddns.zones.wrongkey.tsig-secret", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        p.put("wgcp.tracker.ddns.zones.wrongkey.networks", "office");
        tracker = ApplicationContext.run(p);
        server = tracker.getBean(EmbeddedServer.class).start();
        producer = infra.eventProducer();
        // The edges as the registry announces them, with the keys their agents sign with and the networks they serve.
        producer.send(new ProducerRecord<>(Topics.CONFIG.name(), "edge-0", infra.edgeChanged("edge-0", "vpn0.example.net:51820", "home", "office")));
        producer.send(new ProducerRecord<>(Topics.CONFIG.name(), "edge-1", infra.edgeChanged("edge-1", "vpn1.example.net:51820", "home")));
        producer.flush();
    }

    private static KafkaProducer<String, SpecificRecord> edge(String id) {
        return edges.computeIfAbsent(id, infra::edgeProducer);
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
        if (producer != null) {
            producer.close();
        }
        edges.values().forEach(KafkaProducer::close);
        if (dns != null) {
            dns.close();
        }
    }

    private static void register(String peerId, String network, String name) {
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), peerId, PeerRegistered.newBuilder().setMetadata(META.create("admin", 1))
                .setPeerId(peerId).setNetworkId(network).setPublicKey("K-" + peerId).setName(name).build()));
    }

    private static void observe(String peerId, String edge, Instant at, String endpoint) {
        edge(edge).send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peerId, HandshakeObserved.newBuilder()
                .setMetadata(META.create("edge-agent:" + edge, 1)).setPeerId(peerId).setPublicKey("K-" + peerId).setEdgeId(edge)
                .setInterfaceName("wg0").setEndpoint(endpoint).setLatestHandshakeAt(at).setObservedAt(at).build()));
        edge(edge).flush();
    }

    /** What the DNS server answers for {@code name}, asked directly (no cache). */
    private static List<String> answer(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(dns.port());
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return records == null ? List.of() : Arrays.stream(records).map(Record::rdataToString).sorted().toList();
    }

    /** An IPv6 address as dnsjava prints AAAA data (no :: shortening). */
    private static String v6(String address) throws Exception {
        return InetAddress.getByName(address).getHostAddress();
    }

    private static List<Map<String, Object>> dnsApi() throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/v1/dns"))
                        .header("Authorization", "Bearer " + infra.registry().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return tracker.getBean(JsonMapper.class).readValue(body, Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    private static Map<String, Object> record(String name) throws Exception {
        return dnsApi().stream().filter(r -> name.equals(r.get("name"))).findFirst().orElse(Map.of());
    }

    @Test
    void aRoamMovesTheAddressAndSrvRecordsAndAnOlderEndpointNeverOverwritesANewerOne() throws Exception {
        String peer = UUID.randomUUID().toString();
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        register(peer, "home", "Roaming Laptop");
        observe(peer, "edge-0", t, "198.51.100.7:41000");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("198.51.100.7"), answer("roaming-laptop.wg.test.", Type.A));
            assertEquals(List.of("0 0 41000 roaming-laptop.wg.test."), answer("_wireguard._udp.roaming-laptop.wg.test.", Type.SRV));
        });

        observe(peer, "edge-0", t.plusSeconds(20), "203.0.113.9:52000");          // the laptop roams
        observe(peer, "edge-1", t.plusSeconds(10), "192.0.2.99:1111");            // another edge reports an older endpoint late
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("203.0.113.9"), answer("roaming-laptop.wg.test.", Type.A));
            assertEquals(List.of("0 0 52000 roaming-laptop.wg.test."), answer("_wireguard._udp.roaming-laptop.wg.test.", Type.SRV));
            assertEquals("current", record("roaming-laptop.wg.test.").get("state"));
        });
        assertEquals(List.of("203.0.113.9"), answer("roaming-laptop.wg.test.", Type.A), "the older endpoint did not win");

        observe(peer, "edge-0", t.plusSeconds(30), "[2001:db8::7]:51820");         // to IPv6, on WireGuard's default port
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of(v6("2001:db8::7")), answer("roaming-laptop.wg.test.", Type.AAAA));
            assertEquals(List.of(), answer("roaming-laptop.wg.test.", Type.A));
            assertEquals(List.of(), answer("_wireguard._udp.roaming-laptop.wg.test.", Type.SRV), "no SRV for the default port");
        });

        producer.send(new ProducerRecord<>(Topics.PEERS.name(), peer, KeyRevoked.newBuilder().setMetadata(META.create("admin", 2))
                .setPeerId(peer).setNetworkId("home").setPublicKey("K-" + peer).setReason(RevocationReason.OPERATOR).build()));
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of(), answer("roaming-laptop.wg.test.", Type.AAAA), "a revoked peer's name is deleted");
            assertEquals("deleted", record("roaming-laptop.wg.test.").get("state"));
        });
    }

    @Test
    void aNameBelongsToTheFirstPeerThatTookItUntilThatPeerGoes() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        register(first, "home", "twin");
        register(second, "home", "twin");
        observe(first, "edge-0", t, "198.51.100.80:41000");
        await().atMost(Duration.ofSeconds(30)).until(() -> answer("twin.wg.test.", Type.A).equals(List.of("198.51.100.80")));
        observe(second, "edge-0", t.plusSeconds(5), "198.51.100.81:41000");
        await().atMost(Duration.ofSeconds(30)).until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.getPort() + "/v1/peers/" + second)).header("Authorization", "Bearer " + infra.registry().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body()
                .contains("\"endpoint\":\"198.51.100.81:41000\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> dnsApi().stream().noneMatch(r -> "pending".equals(r.get("state"))));
        assertEquals(List.of("198.51.100.80"), answer("twin.wg.test.", Type.A), "the second 'twin' does not take the name");
        assertEquals("peer:" + first, record("twin.wg.test.").get("owner"));

        producer.send(new ProducerRecord<>(Topics.PEERS.name(), first, PeerUpdated.newBuilder().setMetadata(META.create("admin", 2))
                .setPeerId(first).setNetworkId("home").setName("twin one").build()));          // the first is renamed
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("198.51.100.80"), answer("twin-one.wg.test.", Type.A), "the new name answers at once");
            assertEquals(List.of(), answer("twin.wg.test.", Type.A), "the old name is let go");
        });
        observe(second, "edge-0", t.plusSeconds(10), "198.51.100.81:41000");               // a handshake later, no change
        observe(second, "edge-0", t.plusSeconds(20), "198.51.100.82:41000");               // the second roams: takes the name
        await().atMost(Duration.ofSeconds(30)).until(() -> answer("twin.wg.test.", Type.A).equals(List.of("198.51.100.82")));
    }

    @Test
    void anUpdateWithAWrongKeyIsRefusedAndReported() throws Exception {
        String peer = UUID.randomUUID().toString();
        register(peer, "office", "desk");
        observe(peer, "edge-0", Instant.now(), "198.51.100.50:41000");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> r = record("desk.wg.test.");
            assertEquals("failing", r.get("state"), r.toString());
            assertTrue(String.valueOf(r.get("lastError")).contains("NOTAUTH"), r.toString());
        });
        assertEquals(List.of(), answer("desk.wg.test.", Type.A));
        double refused = tracker.getBean(MeterRegistry.class).get("wgcp.tracker.ddns.updates")
                .tags("zone", "wrongkey", "result", "refused").counter().count();
        assertTrue(refused >= 1, "counted: " + refused);
    }

    @Test
    void aServerThatIsDownDelaysTheUpdateWithoutLosingIt() throws Exception {
        String peer = UUID.randomUUID().toString();
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        register(peer, "home", "nas");
        observe(peer, "edge-0", t, "198.51.100.60:41000");
        await().atMost(Duration.ofSeconds(30)).until(() -> answer("nas.wg.test.", Type.A).equals(List.of("198.51.100.60")));

        dns.stop();
        try {
            observe(peer, "edge-0", t.plusSeconds(10), "198.51.100.61:41000");
            observe(peer, "edge-0", t.plusSeconds(20), "198.51.100.62:41000");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Object> r = record("nas.wg.test.");
                assertEquals("failing", r.get("state"), r.toString());
                assertTrue(String.valueOf(r.get("lastError")).contains("did not answer"), r.toString());
            });
        } finally {
            dns.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("198.51.100.62"), answer("nas.wg.test.", Type.A), "the newest endpoint, once the server is back");
            assertEquals("current", record("nas.wg.test.").get("state"));
        });
    }

    @Test
    void anEdgeNamedInItsEndpointAnswersTheAddressItsAgentReports() throws Exception {
        String edge = "edge-" + UUID.randomUUID().toString().substring(0, 8);
        producer.send(new ProducerRecord<>(Topics.CONFIG.name(), edge, infra.edgeChanged(edge, edge + ".wg.test:51821", "home")));
        producer.flush();
        edge(edge).send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), edge, EdgeAddressObserved.newBuilder()
                .setMetadata(META.create("edge-agent:" + edge, 1)).setEdgeId(edge).setAddresses(List.of("192.0.2.10"))
                .setSource("interface:eth0").setObservedAt(Instant.now()).build()));
        edge(edge).flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("192.0.2.10"), answer(edge + ".wg.test.", Type.A));
            assertEquals(List.of("0 0 51821 " + edge + ".wg.test."), answer("_wireguard._udp." + edge + ".wg.test.", Type.SRV));
        });

        // Another edge's agent claims a newer address for this edge, and someone without any edge's key too: neither moves the name.
        io.micrometer.core.instrument.MeterRegistry meters = tracker.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        java.util.function.ToDoubleFunction<String> ignored = reason -> meters.find("wgcp.tracker.observations.ignored").tag("reason", reason)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        double byKey = ignored.applyAsDouble("edge_key");
        double unsignedBefore = ignored.applyAsDouble("edge_unsigned");
        edge("edge-1").send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), edge, EdgeAddressObserved.newBuilder()
                .setMetadata(META.create("edge-agent:edge-1", 1)).setEdgeId(edge).setAddresses(List.of("203.0.113.66"))
                .setSource("interface:eth0").setObservedAt(Instant.now().plusSeconds(1)).build()));
        edge("edge-1").flush();
        try (KafkaProducer<String, SpecificRecord> unsigned = infra.unsignedProducer()) {
            unsigned.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), edge, EdgeAddressObserved.newBuilder()
                    .setMetadata(META.create("edge-agent:" + edge, 1)).setEdgeId(edge).setAddresses(List.of("203.0.113.67"))
                    .setSource("interface:eth0").setObservedAt(Instant.now().plusSeconds(2)).build())).get();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ignored.applyAsDouble("edge_key") > byKey
                && ignored.applyAsDouble("edge_unsigned") > unsignedBefore);
        assertEquals(List.of("192.0.2.10"), answer(edge + ".wg.test.", Type.A), "forged reports move no name");

        edge(edge).send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), edge, EdgeAddressObserved.newBuilder()
                .setMetadata(META.create("edge-agent:" + edge, 2)).setEdgeId(edge).setAddresses(List.of("192.0.2.11", "2001:db8::11"))
                .setSource("interface:eth0").setObservedAt(Instant.now()).build()));
        edge(edge).flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("192.0.2.11"), answer(edge + ".wg.test.", Type.A));
            assertEquals(List.of(v6("2001:db8::11")), answer(edge + ".wg.test.", Type.AAAA));
        });
    }
}
