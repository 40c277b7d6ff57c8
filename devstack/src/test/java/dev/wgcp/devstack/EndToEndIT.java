package dev.wgcp.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.infra.WgQuick;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The whole path on real parts: register a client through the REST API, see it on the edge's
 * wireguard-go interface, bring the client up with wg-quick from the returned config in its own
 * namespace, ping the edge through the tunnel, see the endpoint the edge observed come out of
 * endpoint-tracker; revoke, and the peer is gone and the ping stops.
 */
class EndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Devstack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        stack = Devstack.start(Devstack.Options.forTest(dir.resolve("data"), Path.of("..").toAbsolutePath().normalize()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        assertFalse(Shell.run("ip", "netns", "list").contains(stack.options().edgeNamespace()), "namespaces removed");
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.registryUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + stack.adminToken());
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String wgShow(String what) {
        return Shell.run("wg", "show", stack.interfaceName(), what);
    }

    private static String ruleset() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.firewallUrl() + "/v1/edges/edge-0/ruleset"))
                        .header("Authorization", "Bearer " + stack.adminToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String edgeTable() {
        return stack.edges().get(0).namespace().tryExec("nft", "list", "table", "inet", "wgcp").output();
    }

    private static boolean ping(String address) {
        return stack.lanNamespace().tryExec("ping", "-c", "1", "-W", "1", address).exitCode() == 0;
    }

    @Test
    void registeredPeerComesAliveOnTheEdgeAndRevocationCutsItOff() throws Exception {
        String privateKey = WgKeys.generatePrivateKey();
        String publicKey = WgKeys.publicKey(privateKey);

        HttpResponse<String> created = send("POST", "/v1/networks/home/peers",
                "{\"publicKey\":\"" + publicKey + "\",\"name\":\"laptop\"}");
        assertEquals(201, created.statusCode(), "registration returns the config in one call: " + created.body());
        JsonNode peer = JSON.readTree(created.body());
        String id = peer.path("id").asText();
        String address = peer.path("ipv4Address").asText();
        assertTrue(address.startsWith("10.100.0."), address);
        assertNotEquals("10.100.0.1", address, "the edge's own address is reserved");
        String config = peer.path("config").asText();
        assertTrue(config.contains("Endpoint = " + stack.options().edgeEndpoint()), config);
        assertTrue(config.contains("PublicKey = " + stack.edgePublicKey()), config);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertTrue(wgShow("allowed-ips").contains(publicKey + "\t" + address + "/32"), wgShow("allowed-ips")));
        assertTrue(wgShow("endpoints").contains(publicKey + "\t(none)"), "no endpoint until the client dials in");

        // firewall-sync's ruleset for the edge lets the new peer's address in.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(ruleset().contains(address), ruleset()));
        // ... and the edge's agent applied it to its own nft table, before it added the peer.
        assertTrue(edgeTable().contains(address), "the agent's table lets the peer in: " + edgeTable());

        String clientIf = "wgc" + stack.options().name();
        // Closed whatever happens: its route to the tunnel network would clash with another client's in the same namespace.
        try (WgQuick client = WgQuick.up(stack.lanNamespace(), dir, clientIf, config, privateKey)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> ping(stack.options().edgeTunnelAddress()));
            assertTrue(wgShow("endpoints").contains(publicKey + "\t" + stack.options().transitNet() + ".2:"),
                    "the edge learnt the client's endpoint from its packets: " + wgShow("endpoints"));

            // The edge reports what it saw; endpoint-tracker turns it into EndpointChanged (first seen).
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<SpecificRecord> changes = TopicReader.events(stack.admin(), stack.schemaRegistryUrl(), Topics.ENDPOINTS, id)
                        .stream().filter(EndpointChanged.class::isInstance).toList();
                assertEquals(1, changes.size(), "one change so far: " + changes);
                EndpointChanged first = (EndpointChanged) changes.get(0);
                assertEquals(EndpointChangeKind.FIRST_SEEN, first.getKind());
                assertTrue(first.getNewEndpoint().startsWith(stack.options().transitNet() + ".2:"), first.getNewEndpoint());
                assertEquals(publicKey, first.getPublicKey());
            });
            JsonNode seen = JSON.readTree(tracker("/v1/peers/" + id + "/endpoints"));
            assertEquals("edge-0", seen.path(0).path("edgeId").asText(), seen.toString());

            HttpResponse<String> revoked = send("DELETE", "/v1/peers/" + id, null);
            assertEquals(200, revoked.statusCode(), revoked.body());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFalse(wgShow("peers").contains(publicKey)));
            assertFalse(ping(stack.options().edgeTunnelAddress()), "a revoked key no longer reaches the edge");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFalse(ruleset().contains(address), ruleset()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertFalse(edgeTable().contains(address), edgeTable()));
            assertFalse(ping(stack.options().edgeTunnelAddress()), "and it stays cut off");

            HttpResponse<String> again = send("POST", "/v1/networks/home/peers", "{\"publicKey\":\"" + publicKey + "\"}");
            assertEquals(409, again.statusCode(), "a revoked key can never come back: " + again.body());
        }
    }

    @Test
    void aRotatedKeyTakesThePeersAddressOnTheEdgeAndTheOldKeyLeaves() throws Exception {
        String oldKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        JsonNode peer = JSON.readTree(send("POST", "/v1/networks/home/peers", "{\"publicKey\":\"" + oldKey + "\"}").body());
        String address = peer.path("ipv4Address").asText() + "/32";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(wgShow("allowed-ips").contains(oldKey + "\t" + address)));
        String newKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> rotated = HTTP.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/v1/peers/" + peer.path("id").asText() + "/rotate"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + peer.path("peerToken").asText())
                .POST(HttpRequest.BodyPublishers.ofString("{\"publicKey\":\"" + newKey + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, rotated.statusCode(), rotated.body());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String shown = wgShow("allowed-ips");
            assertTrue(shown.contains(newKey + "\t" + address), "the new key has the peer's address: " + shown);
            assertFalse(shown.contains(oldKey), "the old key is off the edge: " + shown);
        });
        assertEquals(200, send("DELETE", "/v1/peers/" + peer.path("id").asText(), null).statusCode());

        // The audit tells this peer's life from the topics the services wrote, in order, with who did what.
        Path jar = stack.options().repoRoot().resolve("cli/target/cli-0.1.0-SNAPSHOT-all.jar");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Shell.Result audit = Shell.exec(List.of("java", "-jar", jar.toString(), "audit", "--kafka-config", stack.auditConfig().toString(),
                    "--schema-registry-url", stack.schemaRegistryUrl(), "peer", peer.path("id").asText()));
            assertEquals(0, audit.exitCode(), audit.output());
            List<String> story = audit.output().lines().map(l -> l.substring(l.indexOf("  ") + 2)).toList();
            List<String> expected = List.of("registered in network home with key " + oldKey, "address " + peer.path("ipv4Address").asText(),
                    "applied on edge-0/" + stack.interfaceName() + ": ADDED " + oldKey, "key rotated from " + oldKey + " to " + newKey,
                    "applied on edge-0/" + stack.interfaceName() + ": ADDED " + newKey, "key " + newKey + " revoked (OPERATOR)",
                    "applied on edge-0/" + stack.interfaceName() + ": REMOVED " + newKey);
            int at = 0;
            for (String line : story) {
                if (at < expected.size() && line.startsWith(expected.get(at))) {
                    at++;
                }
            }
            assertEquals(expected.size(), at, "in order: " + expected + "\nin:\n" + audit.output());
            assertTrue(story.get(0).endsWith("(by token:bootstrap-admin)"), story.get(0));
            assertTrue(story.stream().anyMatch(l -> l.startsWith("key rotated") && l.endsWith("(by peer:" + peer.path("id").asText() + ")")),
                    "the peer rotated its own key: " + audit.output());
        });
    }

    @Test
    void aKeyPairMadeByTheRegistryGivesACompleteConfigThatBringsATunnelUp() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/networks/home/peers", "{\"generateKey\":true,\"name\":\"phone\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode peer = JSON.readTree(created.body());
        String privateKey = peer.path("privateKey").asText();
        assertEquals(peer.path("publicKey").asText(), WgKeys.publicKey(privateKey), "the pair is a WireGuard key pair");
        String config = peer.path("config").asText();
        assertTrue(config.contains("PrivateKey = " + privateKey), config);
        assertTrue(peer.path("configQrPng").asText().startsWith("iVBORw0KGgo"), "a PNG of the config for phones");

        // wg-quick accepts it as it is, and it works.
        Path file = Files.writeString(dir.resolve("generated.conf"), config);
        assertEquals(0, Shell.exec(List.of("wg-quick", "strip", file.toString())).exitCode(), "wg-quick strip accepts the config");
        try (WgQuick client = WgQuick.up(stack.lanNamespace(), dir, "wgg" + stack.options().name(), config)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> ping(stack.options().edgeTunnelAddress()));
        }

        // The private key is not kept: the config served later has only the placeholder.
        String later = send("GET", "/v1/peers/" + peer.path("id").asText() + "/config", null).body();
        assertFalse(later.contains(privateKey), later);
        assertTrue(later.contains("# PrivateKey = <the private key of"), later);
        HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/v1/peers/"
                        + peer.path("id").asText() + "/config.png")).header("Authorization", "Bearer " + stack.adminToken()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void aRoamingClientKeepsItsTunnelAndTheEdgeReportsTheNewEndpoint() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/networks/home/peers", "{\"generateKey\":true,\"name\":\"roaming-laptop\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode peer = JSON.readTree(created.body());
        String id = peer.path("id").asText();
        String net = stack.options().transitNet();
        String name = stack.options().name();
        String lanLink = "wgl-" + (name.length() <= 9 ? name : name.substring(0, 9));
        try (WgQuick client = WgQuick.up(stack.lanNamespace(), dir, "wgr" + name, peer.path("config").asText())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> ping(stack.options().edgeTunnelAddress()));
            await().atMost(Duration.ofSeconds(20)).until(() -> observedEndpoints(id).stream().anyMatch(e -> e.startsWith(net + ".2:")));
            try {
                // The laptop moves: its underlay address changes from .2 to .3 (a new Wi-Fi, a new DHCP lease).
                // (Old address first: deleting a primary address takes the secondaries of its subnet with it.)
                stack.lanNamespace().exec("ip", "addr", "del", net + ".2/24", "dev", lanLink);
                stack.lanNamespace().exec("ip", "addr", "add", net + ".3/24", "dev", lanLink);
                // wireguard-go on Linux keeps sending from the source address it used last ("sticky sockets") and
                // does not notice it is gone; re-setting the endpoint, as a client's network-change hook does, clears
                // that. Nothing changes on the edge or in the control plane: the edge learns the new endpoint from
                // the client's authenticated packets.
                stack.lanNamespace().exec("wg", "set", "wgr" + name, "peer", stack.edgePublicKey(), "endpoint",
                        stack.options().edgeEndpoint());
                await().atMost(Duration.ofSeconds(15)).until(() -> ping(stack.options().edgeTunnelAddress()));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                        observedEndpoints(id).stream().anyMatch(e -> e.startsWith(net + ".3:")),
                        "HandshakeObserved reports the new endpoint: " + observedEndpoints(id)));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(TopicReader.events(stack.admin(),
                                stack.schemaRegistryUrl(), Topics.ENDPOINTS, id).stream().filter(EndpointChanged.class::isInstance).map(EndpointChanged.class::cast)
                        .anyMatch(c -> c.getKind() == EndpointChangeKind.ROAMED && c.getNewEndpoint().startsWith(net + ".3:")),
                        "endpoint-tracker calls it roaming"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode seen = JSON.readTree(tracker("/v1/peers/" + id));
                    assertTrue(seen.path("endpoint").asText().startsWith(net + ".3:"), "the tracker's API: " + seen);
                    assertEquals("online", seen.path("state").asText(), seen.toString());
                    assertEquals("roaming-laptop." + Devstack.DNS_ZONE + ".", seen.path("dnsName").asText(), seen.toString());
                });
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(List.of(net + ".3"),
                        dnsAnswer("roaming-laptop." + Devstack.DNS_ZONE + ".", Type.A), "the DNS record follows"));
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(stack.agentUrl() + "/prometheus"))
                        .header("Authorization", "Bearer " + stack.agentToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("peer_id=\"" + id + "\"") && metrics.contains("peer_name=\"roaming-laptop\""),
                        "handshake age by peer id and name: " + metrics.lines().filter(l -> l.contains("handshake")).toList());
            } finally {
                stack.lanNamespace().tryExec("ip", "addr", "del", net + ".3/24", "dev", lanLink);
                stack.lanNamespace().tryExec("ip", "addr", "add", net + ".2/24", "dev", lanLink);
            }
        }
    }

    /** GET on endpoint-tracker's API with the admin token (the tracker checks it with the registry). */
    private static String tracker(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.trackerUrl() + path)).header("Authorization", "Bearer "
                + stack.adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the devstack's DNS server answers, asked directly. */
    private static List<String> dnsAnswer(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(stack.dnsPort());
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        return records == null ? List.of() : Arrays.stream(records).map(Record::rdataToString).toList();
    }

    private static List<String> observedEndpoints(String peerId) {
        return TopicReader.events(stack.admin(), stack.schemaRegistryUrl(), Topics.OBSERVATIONS, peerId).stream()
                .map(e -> ((dev.wgcp.events.v1.HandshakeObserved) e).getEndpoint()).filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void everyServiceExposesMetricsThatPromtoolAccepts() throws Exception {
        // One registration first, so that the event and peer meters exist.
        HttpResponse<String> created = send("POST", "/v1/networks/home/peers", "{\"generateKey\":true,\"name\":\"metrics-probe\"}");
        assertEquals(201, created.statusCode(), created.body());
        java.util.Map<String, String> services = new java.util.LinkedHashMap<>();
        services.put("registry-service", stack.registryUrl());
        services.put("ipam-service", stack.ipamUrl());
        services.put("edge-agent", stack.agentUrl());
        services.put("endpoint-tracker", stack.trackerUrl());
        services.put("firewall-sync", stack.firewallUrl());
        java.util.Map<String, String> expected = java.util.Map.of("registry-service", "wgcp_events_published_total",
                "ipam-service", "wgcp_consumer_lag_records{consumer=", "edge-agent", "wgcp_agent_peers",
                "endpoint-tracker", "wgcp_tracker_ddns_pending{zone=\"dev\"}", "firewall-sync", "wgcp_firewall_edge_in_sync");
        for (var s : services.entrySet()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String token = s.getKey().equals("edge-agent") ? stack.agentToken() : stack.adminToken();
                HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(s.getValue() + "/prometheus"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode(), s.getKey());
                assertTrue(metrics.body().contains(expected.get(s.getKey())), s.getKey() + " exposes " + expected.get(s.getKey()));
                Path scraped = Files.writeString(dir.resolve(s.getKey() + ".prom"), metrics.body());
                Shell.Result lint = Shell.exec(List.of("sh", "-c", "promtool check metrics < " + scraped));
                assertEquals(0, lint.exitCode(), s.getKey() + ": " + lint.output());
            });
        }
    }

    @Test
    void theCliReconcilesTheAgentOnDemand() throws Exception {
        String stranger = WgKeys.publicKey(WgKeys.generatePrivateKey());
        Shell.run("wg", "set", stack.interfaceName(), "peer", stranger, "allowed-ips", "10.100.0.250/32");
        Path jar = stack.options().repoRoot().resolve("cli/target/cli-0.1.0-SNAPSHOT-all.jar");
        Shell.Result status = Shell.exec(List.of("java", "-jar", jar.toString(), "agent", "--agent-url", stack.agentUrl(),
                "--agent-token-file", stack.agentTokenFile(0).toString(), "status"));
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains("edge-0") && status.output().contains("true"), status.output());
        Shell.Result reconciled = Shell.exec(List.of("java", "-jar", jar.toString(), "--json", "agent", "--agent-url", stack.agentUrl(),
                "--agent-token-file", stack.agentTokenFile(0).toString(), "reconcile"));
        assertEquals(0, reconciled.exitCode(), reconciled.output());
        JsonNode result = JSON.readTree(reconciled.output()).path(0);
        assertFalse(wgShow("peers").contains(stranger), "gone when the command returns: " + reconciled.output());
        // Removed by this reconcile, unless the agent's own resync timer came first (then it says so).
        List<String> triggers = TopicReader.events(stack.admin(), stack.schemaRegistryUrl(), Topics.APPLIED, "edge-0").stream()
                .filter(dev.wgcp.events.v1.AgentApplied.class::isInstance).map(dev.wgcp.events.v1.AgentApplied.class::cast)
                .filter(a -> a.getChanges().stream().anyMatch(c -> c.getPublicKey().equals(stranger))).map(a -> a.getTrigger()).toList();
        assertEquals(1, triggers.size(), triggers.toString());
        assertEquals(triggers.get(0).equals("api") ? 1 : 0, result.path("removed").asInt(), reconciled.output() + " " + triggers);
    }

    @Test
    void theCliManagesPoolsWithTheRegistrysToken() throws Exception {
        Path jar = stack.options().repoRoot().resolve("cli/target/cli-0.1.0-SNAPSHOT-all.jar");
        Path token = Files.writeString(dir.resolve("cli.token"), stack.adminToken());
        List<String> cli = List.of("java", "-jar", jar.toString(), "--token-file", token.toString(), "pools", "--ipam-url", stack.ipamUrl());
        Shell.Result listed = Shell.exec(concat(cli, "list", "--network", "home"));
        assertEquals(0, listed.exitCode(), listed.output());
        assertTrue(listed.output().contains("home-v4") && listed.output().contains("10.100.0.0/24"), listed.output());
        Shell.Result reserved = Shell.exec(concat(cli, "reserve", "home-v4", "10.100.0.240", "--description", "printer"));
        assertEquals(0, reserved.exitCode(), reserved.output());
        Shell.Result exported = Shell.exec(concat(cli, "export", "--network", "home"));
        assertTrue(exported.output().contains("10.100.0.240/24,reserved,home,,printer"), exported.output());
        Shell.Result overlap = Shell.exec(concat(cli, "create", "home-b", "--network", "home", "--cidr", "10.100.0.128/25"));
        assertEquals(1, overlap.exitCode(), overlap.output());
        assertTrue(overlap.output().contains("overlaps pool home-v4"), "one line saying what is wrong: " + overlap.output());
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
