package dev.wgcp.tracker.messaging;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerCameOnline;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerWentStale;
import dev.wgcp.events.v1.RevocationReason;
import dev.wgcp.events.v1.SuspiciousEndpointChurn;
import dev.wgcp.infra.RegistryProcess;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.kit.testing.RouteAudit;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import dev.wgcp.tracker.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
    private static EmbeddedServer server;
    private static TestClock clock;
    private static KafkaProducer<String, SpecificRecord> producer;
    /** What edge-0's agent writes, signed with edge-0's key. */
    private static KafkaProducer<String, SpecificRecord> edge0;
    private static final EventMetadataFactory EDGE = new EventMetadataFactory("edge-agent:edge-0", Clock.systemUTC());
    private static final EventMetadataFactory REGISTRY = new EventMetadataFactory("registry-service", Clock.systemUTC());
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        infra = SharedInfra.get();
        Map<String, Object> p = infra.serviceProperties(KafkaAccess.TRACKER, "endpoints_it");
        p.putAll(infra.authProperties()); // API tokens are the registry's, checked by it
        p.put("wgcp.tracker.presence-check-interval", "200ms");
        p.put("wgcp.tracker.churn-max-changes", "3");
        tracker = ApplicationContext.run(p);
        server = tracker.getBean(EmbeddedServer.class).start();
        clock = tracker.getBean(TestClock.class);
        producer = infra.eventProducer();
        edge0 = infra.edgeProducer("edge-0");
        // edge-0 as the registry announces it: the key its agent signs with, the network it serves.
        producer.send(new ProducerRecord<>(Topics.CONFIG.name(), "edge-0", infra.edgeChanged("edge-0", "vpn0.example.net:51820", "home")));
        producer.send(new ProducerRecord<>(Topics.CONFIG.name(), "edge-9", infra.edgeChanged("edge-9", "vpn9.example.net:51820", "lab")));
        producer.flush();
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (edge0 != null) {
            edge0.close();
        }
    }

    private static void register(String peerId, String key, String name) {
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), peerId, PeerRegistered.newBuilder()
                .setMetadata(REGISTRY.create("admin", 1)).setPeerId(peerId).setNetworkId("home").setPublicKey(key).setName(name).build()));
        producer.flush();
    }

    private static void revoke(String peerId, String key) {
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), peerId, KeyRevoked.newBuilder()
                .setMetadata(REGISTRY.create("admin", 2)).setPeerId(peerId).setNetworkId("home").setPublicKey(key)
                .setReason(RevocationReason.OPERATOR).build()));
        producer.flush();
    }

    /** An observation {@code second}s after {@code base}, with a handshake at that moment when there is an endpoint. */
    private static void observe(String peerId, String key, Instant base, long second, String endpoint) {
        Instant at = base.plusSeconds(second);
        HandshakeObserved o = HandshakeObserved.newBuilder().setMetadata(EDGE.create("edge-agent:edge-0", second))
                .setPeerId(peerId).setPublicKey(key).setEdgeId("edge-0").setInterfaceName("wg0")
                .setEndpoint(endpoint).setLatestHandshakeAt(endpoint == null ? null : at)
                .setObservedAt(at).build();
        edge0.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peerId, o));
        edge0.flush();
    }

    private static List<SpecificRecord> events(String peerId) {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.ENDPOINTS, peerId);
    }

    private static List<EndpointChanged> changes(String peerId) {
        return events(peerId).stream().filter(EndpointChanged.class::isInstance).map(EndpointChanged.class::cast).toList();
    }

    private static double counter(String name, String... tags) {
        var c = tracker.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** As the registry's bootstrap admin. */
    private static HttpResponse<String> get(String path) throws Exception {
        return getAs(infra.registry().adminToken(), path);
    }

    private static HttpResponse<String> getAs(String token, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(String body) throws Exception {
        return tracker.getBean(JsonMapper.class).readValue(body, Argument.mapOf(String.class, Object.class));
    }

    private static List<Map<String, Object>> jsonList(String body) throws Exception {
        return tracker.getBean(JsonMapper.class).readValue(body, Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    @Test
    void roamsAndRebindsYieldExactlyOneEventEachWhateverTheDuplicatesAndTheOrder() throws Exception {
        String peer = UUID.randomUUID().toString();
        Instant t = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        double held = counter("wgcp.tracker.observations.held");
        observe(peer, "K1", t, 0, null);                     // on the edge, never talked: nothing
        observe(peer, "K1", t, 10, "198.51.100.7:41000");    // first seen, before the tracker heard of the peer: held
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("wgcp.tracker.observations.held") >= held + 2);
        register(peer, "K1", "laptop");
        observe(peer, "K1", t, 10, "198.51.100.7:41000");    // duplicate
        observe(peer, "K1", t, 20, "198.51.100.7:41000");    // same endpoint, later: nothing
        observe(peer, "K1", t, 30, "198.51.100.7:52000");    // NAT rebind (port only)
        observe(peer, "K1", t, 25, "192.0.2.50:1000");       // out of order, older: ignored
        observe(peer, "K1", t, 40, "[2001:db8::9]:52000");   // roam, to IPv6
        observe(peer, "K1", t, 40, "[2001:db8::9]:52000");   // duplicate
        producer.flush();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<EndpointChanged> events = changes(peer);
            assertEquals(List.of(EndpointChangeKind.FIRST_SEEN, EndpointChangeKind.NAT_REBIND, EndpointChangeKind.ROAMED),
                    events.stream().map(EndpointChanged::getKind).toList());
            assertEquals(List.of("198.51.100.7:41000", "198.51.100.7:52000", "[2001:db8::9]:52000"),
                    events.stream().map(EndpointChanged::getNewEndpoint).toList());
            assertEquals("198.51.100.7:52000", events.get(2).getOldEndpoint());
            assertEquals("home", events.get(2).getNetworkId());
        });
        List<Long> revisions = events(peer).stream().map(e -> ((org.apache.avro.generic.GenericRecord) e).get("metadata"))
                .map(m -> (Long) ((org.apache.avro.generic.GenericRecord) m).get("revision")).toList();
        assertEquals(revisions.stream().sorted().distinct().toList(), revisions, "revisions only grow: " + revisions);

        List<Map<String, Object>> history = jsonList(get("/v1/peers/" + peer + "/history").body());
        assertEquals(List.of("ROAMED", "NAT_REBIND", "FIRST_SEEN"), history.stream().map(h -> h.get("kind")).toList());
        Map<String, Object> view = json(get("/v1/peers/" + peer).body());
        assertEquals("[2001:db8::9]:52000", view.get("endpoint"));
        assertEquals("laptop", view.get("name"));
        List<Map<String, Object>> older = jsonList(get("/v1/peers/" + peer + "/history?limit=1&before="
                + t.plusSeconds(40)).body());
        assertEquals(List.of("NAT_REBIND"), older.stream().map(h -> h.get("kind")).toList());
    }

    @Test
    void anEdgeSpeaksOnlyForItselfAndForTheNetworksItServes() throws Exception {
        String peer = UUID.randomUUID().toString();
        register(peer, "K9", "phone");
        Instant t = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        HandshakeObserved claimsEdge0 = HandshakeObserved.newBuilder().setMetadata(EDGE.create("edge-agent:edge-0", 1))
                .setPeerId(peer).setPublicKey("K9").setEdgeId("edge-0").setInterfaceName("wg0").setEndpoint("203.0.113.66:1")
                .setLatestHandshakeAt(t).setObservedAt(t).build();
        double byKey = counter("wgcp.tracker.observations.ignored", "reason", "edge_key");
        double unsigned = counter("wgcp.tracker.observations.ignored", "reason", "edge_unsigned");
        double network = counter("wgcp.tracker.observations.ignored", "reason", "edge_network");
        // edge-9's credentials and key, speaking for edge-0; and a forger with no edge key at all.
        try (KafkaProducer<String, SpecificRecord> edge9 = infra.edgeProducer("edge-9");
             KafkaProducer<String, SpecificRecord> forger = infra.unsignedProducer()) {
            edge9.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peer, claimsEdge0)).get();
            forger.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peer, claimsEdge0)).get();
            // edge-9 about itself, but for a peer of "home", which it does not serve.
            edge9.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peer, HandshakeObserved.newBuilder(claimsEdge0)
                    .setEdgeId("edge-9").setMetadata(EDGE.create("edge-agent:edge-9", 1)).build())).get();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(byKey + 1, counter("wgcp.tracker.observations.ignored", "reason", "edge_key"));
            assertEquals(unsigned + 1, counter("wgcp.tracker.observations.ignored", "reason", "edge_unsigned"));
            assertEquals(network + 1, counter("wgcp.tracker.observations.ignored", "reason", "edge_network"));
        });
        assertTrue(changes(peer).isEmpty(), "no forged report moved the peer: " + changes(peer));
        observe(peer, "K9", t, 5, "198.51.100.9:41000");   // edge-0 itself
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of(EndpointChangeKind.FIRST_SEEN),
                changes(peer).stream().map(EndpointChanged::getKind).toList()));
        assertEquals("198.51.100.9:41000", changes(peer).get(0).getNewEndpoint());
    }

    @Test
    void observationsWithARevokedOrForeignKeyAreIgnoredAndCounted() {
        String peer = UUID.randomUUID().toString();
        Instant t = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        register(peer, "K-" + peer, "phone");
        observe(peer, "K-" + peer, t, 1, "198.51.100.20:41000");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(peer).size() == 1);

        double mismatch = counter("wgcp.tracker.observations.ignored", "reason", "key_mismatch");
        double revoked = counter("wgcp.tracker.observations.ignored", "reason", "revoked");
        observe(peer, "SOMEONE-ELSE", t, 2, "203.0.113.66:41000");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("wgcp.tracker.observations.ignored", "reason", "key_mismatch")
                == mismatch + 1);
        revoke(peer, "K-" + peer);
        observe(peer, "K-" + peer, t, 3, "203.0.113.77:41000");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("wgcp.tracker.observations.ignored", "reason", "revoked")
                == revoked + 1);
        assertEquals(List.of(EndpointChangeKind.FIRST_SEEN), changes(peer).stream().map(EndpointChanged::getKind).toList(),
                "neither the foreign key nor the revoked one moved the endpoint");
    }

    @Test
    void aPeerComesOnlineGoesStaleWhenItsHandshakesStopAndComesBack() throws Exception {
        String peer = UUID.randomUUID().toString();
        register(peer, "K-" + peer, "nas");
        observe(peer, "K-" + peer, clock.instant().truncatedTo(ChronoUnit.MILLIS), 0, "198.51.100.30:51820");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> events(peer).stream().anyMatch(PeerCameOnline.class::isInstance));
        PeerCameOnline first = events(peer).stream().filter(PeerCameOnline.class::isInstance).map(PeerCameOnline.class::cast)
                .findFirst().orElseThrow();
        assertTrue(first.getFirstTime());
        assertEquals("edge-0", first.getEdgeId());
        assertEquals("online", json(get("/v1/peers/" + peer).body()).get("state"));

        clock.advance(Duration.ofSeconds(181)); // no handshake for longer than RejectAfterTime
        await().atMost(Duration.ofSeconds(30)).until(() -> events(peer).stream().anyMatch(PeerWentStale.class::isInstance));
        PeerWentStale stale = events(peer).stream().filter(PeerWentStale.class::isInstance).map(PeerWentStale.class::cast)
                .findFirst().orElseThrow();
        assertEquals("198.51.100.30:51820", stale.getLastEndpoint());
        assertEquals(180, stale.getStaleAfterSeconds());
        List<Map<String, Object>> staleList = jsonList(get("/v1/stale?network=home&limit=1000").body());
        assertTrue(staleList.stream().anyMatch(p -> peer.equals(p.get("peerId"))), "listed as stale: " + staleList);

        observe(peer, "K-" + peer, clock.instant().truncatedTo(ChronoUnit.MILLIS), 0, "198.51.100.30:51820");
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> events(peer).stream().filter(PeerCameOnline.class::isInstance).count() == 2);
        assertEquals(List.of("PeerCameOnline", "PeerWentStale", "PeerCameOnline"), events(peer).stream()
                .filter(e -> !(e instanceof EndpointChanged)).map(e -> e.getSchema().getName()).toList());
        assertEquals("online", json(get("/v1/peers/" + peer).body()).get("state"));
    }

    @Test
    void aPeerWhoseEndpointKeepsChangingIsFlaggedOncePerWindow() throws Exception {
        String peer = UUID.randomUUID().toString();
        Instant t = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        register(peer, "K-" + peer, "flapper");
        for (int i = 0; i <= 6; i++) {    // first seen, then 6 changes: the 4th crosses the limit of 3
            observe(peer, "K-" + peer, t, i, "203.0.113." + (10 + i) + ":41000");
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(peer).size() == 7);
        List<SuspiciousEndpointChurn> flags = events(peer).stream().filter(SuspiciousEndpointChurn.class::isInstance)
                .map(SuspiciousEndpointChurn.class::cast).toList();
        assertEquals(1, flags.size(), "one flag per window: " + flags);
        assertEquals(4, flags.get(0).getChanges());
        assertEquals(3, flags.get(0).getLimit());
        assertEquals(List.of("203.0.113.14:41000", "203.0.113.13:41000", "203.0.113.12:41000", "203.0.113.11:41000"),
                flags.get(0).getEndpoints());
        List<Map<String, Object>> churn = jsonList(get("/v1/churn").body());
        assertTrue(churn.stream().anyMatch(c -> peer.equals(c.get("peerId"))), "listed: " + churn);
        assertTrue(counter("wgcp.tracker.churn.flags", "network", "home", "edge", "edge-0") >= 1);
    }

    @Test
    void everyRouteWantsACredential() throws Exception {
        RouteAudit.Result audit = RouteAudit.audit(tracker);
        assertTrue(audit.wrong().isEmpty(), String.join("\n", audit.wrong()));
        assertTrue(audit.called().containsKey("GET /v1/peers/{id}/history") && audit.called().containsKey("GET /prometheus"),
                "the audit calls the routes: " + audit.called());
    }

    @Test
    void whereAPeerIsSeenFromIsReadOnlyByThoseItsNetworkAllows() throws Exception {
        RegistryProcess registry = infra.registry();
        registry.network("home", "10.100.0.0/16");
        registry.network("trk-b", "10.101.0.0/24");
        String operatorHome = registry.token("operator", "home");
        String operatorB = registry.token("operator", "trk-b");
        String readOnly = registry.token("read-only", null);
        String agent = registry.token("agent", null);
        String peer = UUID.randomUUID().toString();
        register(peer, "K-" + peer, "private-laptop");
        observe(peer, "K-" + peer, clock.instant().truncatedTo(ChronoUnit.SECONDS), 1, "198.51.100.44:41000");
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(peer).size() == 1);

        for (String path : List.of("/v1/peers/" + peer, "/v1/peers/" + peer + "/history", "/v1/peers/" + peer + "/endpoints",
                "/v1/peers?network=home")) {
            assertEquals(200, getAs(operatorHome, path).statusCode(), path);
            assertEquals(200, getAs(readOnly, path).statusCode(), path);
            HttpResponse<String> other = getAs(operatorB, path);
            assertEquals(403, other.statusCode(), path + ": " + other.body());
            assertTrue(other.body().contains("is scoped to network 'trk-b' and cannot act on network 'home'"), other.body());
            assertTrue(!other.body().contains("198.51.100.44"), "nothing of the peer leaks: " + other.body());
            assertEquals(403, getAs(agent, path).statusCode(), "agents read nobody's endpoints: " + path);
        }
        for (String path : List.of("/v1/peers", "/v1/stale", "/v1/churn")) {
            HttpResponse<String> own = getAs(operatorB, path);
            assertEquals(200, own.statusCode(), path + ": " + own.body());
            assertEquals(List.of(), jsonList(own.body()), "an operator of trk-b sees only trk-b's peers at " + path);
        }
        assertTrue(getAs(operatorHome, "/v1/peers").body().contains(peer));
        HttpResponse<String> dns = getAs(operatorB, "/v1/dns");
        assertEquals(403, dns.statusCode(), "DNS names span every network: " + dns.body());
        assertEquals(200, getAs(readOnly, "/v1/dns").statusCode());
        HttpResponse<String> unknown = getAs("wgcp_" + "B".repeat(43), "/v1/peers/" + peer);
        assertEquals(401, unknown.statusCode(), unknown.body());
    }

    @Test
    void badRequestsGetA4xxThatSaysWhatIsExpected() throws Exception {
        HttpResponse<String> bad = get("/v1/peers/not-a-uuid");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("is not a UUID"), bad.body());
        HttpResponse<String> unknown = get("/v1/peers/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("not known to endpoint-tracker"), unknown.body());
        HttpResponse<String> state = get("/v1/peers?state=sleeping");
        assertEquals(400, state.statusCode());
        assertTrue(state.body().contains("expected never, online or stale"), state.body());
        assertEquals(400, get("/v1/peers/" + UUID.randomUUID() + "/history?before=yesterday").statusCode());
        assertEquals(400, get("/v1/churn?limit=0").statusCode());
        // The presence gauges are refreshed by the periodic scan, once any peer was seen at an edge.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertTrue(get("/prometheus").body().contains("wgcp_tracker_peers_online"), "presence gauges exported"));
    }
}
