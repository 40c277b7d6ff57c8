package dev.wgcp.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edges serving one network. First with the network's shared pool: a registration is on both
 * edges and both acknowledge it, a deletion leaves both. Then split, one address segment per edge's
 * interface, set up through ipam's API: a peer registered on one edge gets an address from that edge's segment, is on that
 * edge's wireguard-go interface and not on the other's, and its config dials that edge only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentedNetworkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Devstack stack;

    @BeforeAll
    static void start() {
        stack = Devstack.start(Devstack.Options.forTest(dir.resolve("data"), Path.of("..").toAbsolutePath().normalize()).withEdges(2));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
            assertFalse(Shell.run("ip", "netns", "list").contains(stack.options().edgeNamespace()), "namespaces removed");
        }
    }

    private static HttpResponse<String> send(String method, String url, String body, boolean token) throws Exception {
        return send(method, url, body, token ? stack.adminToken() : null);
    }

    private static HttpResponse<String> send(String method, String url, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String wgPeers(Devstack.Edge edge) {
        return edge.namespace().exec("wg", "show", edge.interfaceName(), "allowed-ips");
    }

    private static boolean applied(String edgeId, String publicKey) {
        return TopicReader.events(stack.admin(), stack.schemaRegistryUrl(), Topics.APPLIED, edgeId).stream()
                .filter(AgentApplied.class::isInstance).map(AgentApplied.class::cast).flatMap(a -> a.getChanges().stream())
                .anyMatch(c -> c.getPublicKey().equals(publicKey) && c.getAction() != dev.wgcp.events.v1.PeerAction.REMOVED);
    }

    @Test
    @Order(1)
    void aPeerOfASharedPoolIsOnEveryEdgeAndItsRevocationLeavesThemAll() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> created = send("POST", stack.registryUrl() + "/v1/networks/home/peers",
                "{\"publicKey\":\"" + key + "\",\"name\":\"everywhere\"}", true);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode peer = JSON.readTree(created.body());
        String address = peer.path("ipv4Address").asText();
        String config = peer.path("config").asText();
        for (Devstack.Edge edge : stack.edges()) {
            assertTrue(config.contains("PublicKey = " + edge.publicKey()), "the config lists every edge: " + config);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertTrue(wgPeers(edge).contains(key + "\t" + address + "/32"),
                    edge.id() + ": " + wgPeers(edge)));
            await().atMost(Duration.ofSeconds(15)).until(() -> applied(edge.id(), key));
        }
        HttpResponse<String> removed = send("DELETE", stack.registryUrl() + "/v1/peers/" + peer.path("id").asText() + "?remove=true",
                null, true);
        assertEquals(200, removed.statusCode(), removed.body());
        for (Devstack.Edge edge : stack.edges()) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertFalse(wgPeers(edge).contains(key), edge.id()));
            await().atMost(Duration.ofSeconds(15)).until(() -> removedOn(edge.id(), key));
        }
    }

    private static boolean removedOn(String edgeId, String publicKey) {
        return TopicReader.events(stack.admin(), stack.schemaRegistryUrl(), Topics.APPLIED, edgeId).stream()
                .filter(AgentApplied.class::isInstance).map(AgentApplied.class::cast).flatMap(a -> a.getChanges().stream())
                .anyMatch(c -> c.getPublicKey().equals(publicKey) && c.getAction() == dev.wgcp.events.v1.PeerAction.REMOVED);
    }

    @Test
    @Order(2)
    void aPeerOfASegmentIsOnItsEdgeOnly() throws Exception {
        String ipam = stack.ipamUrl();
        HttpResponse<String> anonymous = send("DELETE", ipam + "/v1/pools/home-v4", null, false);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().contains("send 'Authorization: Bearer <token>'"), anonymous.body());
        HttpResponse<String> issued = send("POST", stack.registryUrl() + "/v1/tokens", "{\"name\":\"viewer\",\"scope\":\"read-only\"}", true);
        assertEquals(201, issued.statusCode(), issued.body());
        String viewer = JSON.readTree(issued.body()).path("secret").asText();
        assertEquals(200, send("GET", ipam + "/v1/pools", null, viewer).statusCode(), "any registry token reads pools");
        HttpResponse<String> notAdmin = send("DELETE", ipam + "/v1/pools/home-v4", null, viewer);
        assertEquals(403, notAdmin.statusCode(), notAdmin.body());
        assertTrue(notAdmin.body().contains("token 'viewer' has scope read-only"), notAdmin.body());
        assertEquals(401, send("GET", ipam + "/v1/pools", null, "wgcp_" + "x".repeat(43)).statusCode(), "a token the registry never issued");
        assertEquals(204, send("DELETE", ipam + "/v1/pools/home-v4", null, true).statusCode(), "the shared pool, still empty");
        HttpResponse<String> e0 = send("POST", ipam + "/v1/pools", "{\"name\":\"home-e0\",\"network\":\"home\",\"cidr\":\"10.100.0.0/25\","
                + "\"edge\":\"edge-0\",\"reserved\":[\"10.100.0.1\"]}", true);
        assertEquals(201, e0.statusCode(), e0.body());
        HttpResponse<String> e1 = send("POST", ipam + "/v1/pools", "{\"name\":\"home-e1\",\"network\":\"home\",\"cidr\":\"10.100.0.128/25\","
                + "\"edge\":\"edge-1\"}", true);
        assertEquals(201, e1.statusCode(), e1.body());

        String keyA = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> a = send("POST", stack.registryUrl() + "/v1/networks/home/peers",
                "{\"publicKey\":\"" + keyA + "\",\"name\":\"on-e1\",\"edge\":\"edge-1\"}", true);
        assertEquals(201, a.statusCode(), a.body());
        JsonNode peerA = JSON.readTree(a.body());
        assertEquals("edge-1", peerA.path("edge").asText());
        assertEquals("10.100.0.129", peerA.path("ipv4Address").asText(), "the first address of edge-1's segment");
        String config = peerA.path("config").asText();
        assertTrue(config.contains("PublicKey = " + stack.edges().get(1).publicKey()), config);
        assertFalse(config.contains("PublicKey = " + stack.edges().get(0).publicKey()), "dials its own edge only: " + config);

        String keyB = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> b = send("POST", stack.registryUrl() + "/v1/networks/home/peers",
                "{\"publicKey\":\"" + keyB + "\",\"name\":\"on-e0\",\"edge\":\"edge-0\"}", true);
        assertEquals(201, b.statusCode(), b.body());
        assertEquals("10.100.0.2", JSON.readTree(b.body()).path("ipv4Address").asText());

        HttpResponse<String> nowhere = send("POST", stack.registryUrl() + "/v1/networks/home/peers",
                "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\",\"edge\":\"edge-9\"}", true);
        assertEquals(400, nowhere.statusCode(), nowhere.body());
        assertTrue(nowhere.body().contains("has no edge 'edge-9': expected one of [edge-0, edge-1]"), nowhere.body());

        Devstack.Edge edge0 = stack.edges().get(0);
        Devstack.Edge edge1 = stack.edges().get(1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertTrue(wgPeers(edge1).contains(keyA + "\t10.100.0.129/32"),
                wgPeers(edge1)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertTrue(wgPeers(edge0).contains(keyB + "\t10.100.0.2/32"),
                wgPeers(edge0)));
        await().atMost(Duration.ofSeconds(15)).until(() -> applied("edge-0", keyB) && applied("edge-1", keyA));
        assertFalse(wgPeers(edge0).contains(keyA), "edge-1's peer is not on edge-0: " + wgPeers(edge0));
        assertFalse(wgPeers(edge1).contains(keyB), "edge-0's peer is not on edge-1: " + wgPeers(edge1));
        assertFalse(applied("edge-0", keyA), "edge-0 never added edge-1's peer");
    }
}
