package dev.wgcp.ipam.api;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.RegistryProcess;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.kit.testing.RouteAudit;
import dev.wgcp.ipam.service.AllocationService;
import dev.wgcp.schemas.EventMetadataFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool API over HTTP on the real PostgreSQL: create, overlap refusal, resize, reservations,
 * usage, clear errors, and export/import round trips (CSV and JSON) between two databases.
 */
class PoolApiIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EventMetadataFactory META = new EventMetadataFactory("registry-service", Clock.systemUTC());
    private static final List<ApplicationContext> contexts = new ArrayList<>();

    private static ApplicationContext start(String database) {
        return start(database, Map.of());
    }

    private static ApplicationContext start(String database, Map<String, Object> extra) {
        Map<String, Object> props = SharedInfra.get().serviceProperties(KafkaAccess.IPAM, database);
        props.put("wgcp.ipam.consumer.enabled", "false"); // allocations are made by calling the allocator here
        props.putAll(SharedInfra.get().authProperties()); // API tokens are the registry's, checked by it
        props.putAll(extra);
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, props).getApplicationContext();
        contexts.add(ctx);
        return ctx;
    }

    private static String url(ApplicationContext ctx) {
        return ctx.getBean(EmbeddedServer.class).getURL().toString();
    }

    @BeforeAll
    static void infra() {
        SharedInfra.get();
    }

    @AfterAll
    static void stop() {
        contexts.forEach(ApplicationContext::close);
    }

    private record Answer(int status, String body) {
    }

    /** As the registry's bootstrap admin. */
    private static Answer call(String method, String url, String contentType, String body) throws Exception {
        return callAs(SharedInfra.get().registry().adminToken(), method, url, contentType, body);
    }

    private static Answer callAs(String token, String method, String url, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private static Answer post(String url, String json) throws Exception {
        return call("POST", url, "application/json", json);
    }

    @Test
    void everyRouteWantsACredential() throws Exception {
        RouteAudit.Result audit = RouteAudit.audit(start("ipam_api_audit"));
        assertTrue(audit.wrong().isEmpty(), String.join("\n", audit.wrong()));
        assertTrue(audit.called().containsKey("POST /v1/allocations/import") && audit.called().containsKey("GET /prometheus"),
                "the audit calls the routes: " + audit.called());
    }

    @Test
    void tokensAreHeldToTheirScopeAndTheirNetwork() throws Exception {
        RegistryProcess registry = SharedInfra.get().registry();
        registry.network("ipam-a", "10.62.0.0/24");
        registry.network("ipam-b", "10.63.0.0/24");
        String operatorA = registry.token("operator", "ipam-a");
        String operatorB = registry.token("operator", "ipam-b");
        String fleetOperator = registry.token("operator", null);
        String readOnly = registry.token("read-only", null);
        String agent = registry.token("agent", null);
        String base = url(start("ipam_api_scopes"));
        assertEquals(201, post(base + "/v1/pools", "{\"name\":\"a-v4\",\"network\":\"ipam-a\",\"cidr\":\"10.62.0.0/24\"}").status());
        assertEquals(201, post(base + "/v1/pools", "{\"name\":\"b-v4\",\"network\":\"ipam-b\",\"cidr\":\"10.63.0.0/24\"}").status());

        Answer own = callAs(operatorA, "GET", base + "/v1/pools", null, null);
        assertEquals(200, own.status(), own.body());
        assertTrue(own.body().contains("a-v4") && !own.body().contains("b-v4"), "an operator of ipam-a lists only its pools: " + own.body());
        assertEquals(200, callAs(operatorA, "GET", base + "/v1/pools/a-v4", null, null).status());
        assertEquals(200, callAs(operatorA, "GET", base + "/v1/allocations?network=ipam-a", null, null).status());
        for (String path : List.of("/v1/pools/b-v4", "/v1/pools/b-v4/reservations", "/v1/pools?network=ipam-b", "/v1/allocations?network=ipam-b")) {
            Answer other = callAs(operatorA, "GET", base + path, null, null);
            assertEquals(403, other.status(), path + ": " + other.body());
            assertTrue(other.body().contains("is scoped to network 'ipam-a' and cannot act on network 'ipam-b'"), other.body());
        }
        assertEquals(200, callAs(operatorB, "GET", base + "/v1/pools/b-v4", null, null).status());
        Answer fleet = callAs(fleetOperator, "GET", base + "/v1/pools", null, null);
        assertTrue(fleet.body().contains("a-v4") && fleet.body().contains("b-v4"), fleet.body());
        assertEquals(200, callAs(readOnly, "GET", base + "/v1/pools/b-v4/reservations", null, null).status());

        // Only admins change the address plan.
        for (String token : List.of(operatorA, fleetOperator, readOnly, agent)) {
            Answer create = callAs(token, "POST", base + "/v1/pools", "application/json",
                    "{\"name\":\"x-v4\",\"network\":\"ipam-a\",\"cidr\":\"10.64.0.0/24\"}");
            assertEquals(403, create.status(), create.body());
            assertTrue(create.body().contains("needs a token with scope admin"), create.body());
            assertEquals(403, callAs(token, "DELETE", base + "/v1/pools/a-v4", null, null).status());
            assertEquals(403, callAs(token, "PATCH", base + "/v1/pools/a-v4", "application/json", "{\"description\":\"x\"}").status());
            assertEquals(403, callAs(token, "POST", base + "/v1/pools/a-v4/reservations", "application/json",
                    "{\"addresses\":\"10.62.0.9\"}").status());
            assertEquals(403, callAs(token, "POST", base + "/v1/allocations/import", "text/csv", "address,status\n").status());
        }
        Answer agentRead = callAs(agent, "GET", base + "/v1/pools", null, null);
        assertEquals(403, agentRead.status(), "agents read nothing here: " + agentRead.body());
        assertTrue(call("GET", base + "/v1/pools/a-v4", null, null).body().contains("\"reserved\":0"), "nothing changed");

        Answer none = callAs(null, "GET", base + "/v1/pools", null, null);
        assertEquals(401, none.status());
        assertTrue(none.body().contains("\"error\":\"unauthorized\""), none.body());
        Answer malformed = callAs("not-a-token", "GET", base + "/v1/pools", null, null);
        assertEquals(401, malformed.status(), malformed.body());
        Answer unknown = callAs("wgcp_" + "A".repeat(43), "GET", base + "/v1/pools", null, null);
        assertEquals(401, unknown.status(), unknown.body());
        assertFalse(unknown.body().contains("AAAA"), "the token is never echoed: " + unknown.body());

        // A revoked token stops working here too, within the introspection cache's lifetime.
        registry.revoke(operatorB);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> callAs(operatorB, "GET", base + "/v1/pools/b-v4", null, null).status() == 401);
        Answer revoked = callAs(operatorB, "GET", base + "/v1/pools/b-v4", null, null);
        assertTrue(revoked.body().contains("revoked"), revoked.body());
    }

    @Test
    void aRegistryThatDoesNotAnswerFailsClosed() throws Exception {
        String base = url(start("ipam_api_no_registry", Map.of("wgcp.auth.registry-url", "http://127.0.0.1:" + dev.wgcp.infra.Ports.free())));
        Answer refused = callAs("wgcp_" + "C".repeat(43), "GET", base + "/v1/pools", null, null);
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("cannot be checked now"), refused.body());
        assertEquals(401, callAs(null, "GET", base + "/v1/pools", null, null).status(), "no credential is still 401");
    }

    @Test
    void poolsAreCreatedListedResizedAndNeverOverlap() throws Exception {
        ApplicationContext ctx = start("ipam_api_pools");
        String base = url(ctx);
        Answer created = post(base + "/v1/pools", "{\"name\":\"office-v4\",\"network\":\"office\",\"cidr\":\"10.60.0.0/24\","
                + "\"reserved\":[\"10.60.0.1\",\"10.60.0.250-10.60.0.254\"],\"description\":\"office LAN\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"size\":254") && created.body().contains("\"reserved\":6") && created.body().contains("\"free\":248"),
                created.body());

        Answer overlap = post(base + "/v1/pools", "{\"name\":\"office-b\",\"network\":\"office\",\"cidr\":\"10.60.0.128/25\"}");
        assertEquals(409, overlap.status(), overlap.body());
        assertTrue(overlap.body().contains("overlaps pool office-v4 (10.60.0.0/24)"), overlap.body());
        assertEquals(201, post(base + "/v1/pools", "{\"name\":\"other-v4\",\"network\":\"other\",\"cidr\":\"10.60.0.0/24\"}").status(),
                "another network may use the same prefix");
        assertEquals(201, post(base + "/v1/pools", "{\"name\":\"office-v6\",\"network\":\"office\",\"cidr\":\"fd60::/64\"}").status());

        Answer bad = post(base + "/v1/pools", "{\"name\":\"x\",\"network\":\"office\",\"cidr\":\"10.60.1.5/24\"}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("host bits set: expected the network address 10.60.1.0/24"), bad.body());
        assertFalse(bad.body().contains("Exception"), bad.body());
        Answer notJson = post(base + "/v1/pools", "{\"name\":");
        assertEquals(400, notJson.status(), notJson.body());
        assertTrue(notJson.body().startsWith("{\"status\":400,\"error\":\"invalid_request\",\"message\":\"the request cannot be read: ")
                && notJson.body().contains("(line 1, column") && !notJson.body().contains("Source:"), notJson.body());
        Answer wrongType = post(base + "/v1/pools", "{\"name\":\"x\",\"network\":\"office\",\"cidr\":\"10.9.0.0/24\",\"reserved\":\"10.9.0.1\"}");
        assertEquals(400, wrongType.status(), wrongType.body());
        assertTrue(wrongType.body().contains("expected START_ARRAY"), wrongType.body());
        Answer nowhere = call("GET", base + "/v1/poolz", null, null);
        assertEquals(404, nowhere.status());
        assertTrue(nowhere.body().contains("no such path: /v1/poolz"), nowhere.body());
        Answer noCidr = post(base + "/v1/pools", "{\"name\":\"x\",\"network\":\"office\"}");
        assertEquals(400, noCidr.status(), noCidr.body());

        Answer grown = call("PATCH", base + "/v1/pools/office-v4", "application/json", "{\"cidr\":\"10.60.0.0/23\"}");
        assertEquals(200, grown.status(), grown.body());
        assertTrue(grown.body().contains("\"size\":510"), grown.body());
        Answer moved = call("PATCH", base + "/v1/pools/office-v4", "application/json", "{\"cidr\":\"10.61.0.0/23\"}");
        assertEquals(400, moved.status(), moved.body());
        assertTrue(moved.body().contains("expected 10.60.0.0/<length>"), moved.body());
        Answer shrinkOverReservation = call("PATCH", base + "/v1/pools/office-v4", "application/json", "{\"cidr\":\"10.60.0.0/25\"}");
        assertEquals(409, shrinkOverReservation.status(), shrinkOverReservation.body());
        assertTrue(shrinkOverReservation.body().contains("delete it first"), shrinkOverReservation.body());
        assertEquals(200, call("PATCH", base + "/v1/pools/office-v4", "application/json", "{\"cidr\":\"10.60.0.0/24\"}").status(),
                "shrinking back over an empty range");

        Answer reservation = post(base + "/v1/pools/office-v4/reservations", "{\"addresses\":\"10.60.0.10-10.60.0.19\",\"description\":\"printers\"}");
        assertEquals(201, reservation.status(), reservation.body());
        assertTrue(reservation.body().contains("\"size\":10"), reservation.body());
        Answer twice = post(base + "/v1/pools/office-v4/reservations", "{\"addresses\":\"10.60.0.15\"}");
        assertEquals(409, twice.status(), twice.body());
        Answer outside = post(base + "/v1/pools/office-v4/reservations", "{\"addresses\":\"10.70.0.1\"}");
        assertEquals(400, outside.status(), outside.body());
        assertTrue(outside.body().contains("expected 10.60.0.1 to 10.60.0.254"), outside.body());
        String id = reservation.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        assertEquals(204, call("DELETE", base + "/v1/pools/office-v4/reservations/" + id, null, null).status());
        Answer usage = call("GET", base + "/v1/pools/office-v4", null, null);
        assertTrue(usage.body().contains("\"reserved\":6") && usage.body().contains("\"quarantined\":10"),
                "a lifted reservation waits out the quarantine: " + usage.body());

        Answer list = call("GET", base + "/v1/pools?network=office", null, null);
        assertTrue(list.body().contains("office-v4") && list.body().contains("office-v6") && !list.body().contains("other-v4"), list.body());
        assertEquals(404, call("GET", base + "/v1/pools/nope", null, null).status());
        assertEquals(204, call("DELETE", base + "/v1/pools/other-v4", null, null).status());
        ctx.getBean(dev.wgcp.ipam.service.PoolMetrics.class).refresh(); // as the schedule does every metrics-interval
        Answer metrics = call("GET", base + "/prometheus", null, null);
        assertTrue(metrics.body().contains("wgcp_ipam_pool_addresses{network=\"office\",pool=\"office-v4\",state=\"quarantined\"} 10.0"),
                metrics.body());
        assertTrue(metrics.body().contains("wgcp_ipam_pool_warning{network=\"office\",pool=\"office-v4\"} 0.0"), metrics.body());
    }

    @Test
    void allocationsSurviveAnExportAndImportRoundTripInCsvAndJson() throws Exception {
        ApplicationContext source = start("ipam_api_export");
        String a = url(source);
        for (String pool : List.of(
                "{\"name\":\"lab-v4\",\"network\":\"lab\",\"cidr\":\"10.70.0.0/24\",\"reserved\":[\"10.70.0.1\",\"10.70.0.200-10.70.0.210\"]}",
                "{\"name\":\"lab-v6\",\"network\":\"lab\",\"cidr\":\"fd70::/64\"}")) {
            assertEquals(201, post(a + "/v1/pools", pool).status());
        }
        AllocationService allocator = source.getBean(AllocationService.class);
        for (int i = 0; i < 25; i++) {
            UUID id = UUID.randomUUID();
            allocator.onPeerRegistered(PeerRegistered.newBuilder().setMetadata(META.create("test", 1)).setPeerId(id.toString())
                    .setNetworkId("lab").setPublicKey("k" + id).setName("Laptop " + i).setTags(List.of("staff", "eu")).build());
        }
        Answer csv = call("GET", a + "/v1/allocations?network=lab&format=csv", null, null);
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.body().startsWith("address,status,tenant,dns_name,description,tags,cf_wgcp_peer_id,cf_wgcp_pool,cf_wgcp_range_end"),
                csv.body());
        assertTrue(csv.body().contains("10.70.0.2/24,active,lab,laptop-0,Laptop 0,\"staff,eu\","), csv.body());
        assertTrue(csv.body().contains("10.70.0.200/24,reserved,lab,,,,,lab-v4,10.70.0.210"), csv.body());
        assertEquals(25 * 2 + 2, csv.body().strip().split("\r?\n").length - 1);

        for (String format : List.of("csv", "json")) {
            String b = url(start("ipam_api_import_" + format));
            assertEquals(201, post(b + "/v1/pools", "{\"name\":\"lab-v4\",\"network\":\"lab\",\"cidr\":\"10.70.0.0/24\"}").status());
            assertEquals(201, post(b + "/v1/pools", "{\"name\":\"lab-v6\",\"network\":\"lab\",\"cidr\":\"fd70::/64\"}").status());
            String exported = call("GET", a + "/v1/allocations?network=lab&format=" + format, null, null).body();
            Answer imported = call("POST", b + "/v1/allocations/import", format.equals("csv") ? "text/csv" : "application/json", exported);
            assertEquals(200, imported.status(), imported.body());
            assertTrue(imported.body().contains("\"allocations\":50") && imported.body().contains("\"reservations\":2"), imported.body());
            assertEquals(exported, call("GET", b + "/v1/allocations?network=lab&format=" + format, null, null).body(),
                    format + " export of the imported copy equals the original's");
            Answer again = call("POST", b + "/v1/allocations/import", format.equals("csv") ? "text/csv" : "application/json", exported);
            assertTrue(again.body().contains("\"unchanged\":52"), "importing twice changes nothing: " + again.body());
            Answer usage = call("GET", b + "/v1/pools/lab-v4", null, null);
            assertTrue(usage.body().contains("\"allocated\":25") && usage.body().contains("\"reserved\":12"), usage.body());
        }
    }

    @Test
    void aPoolWarnsWhenItCrossesTheThresholdAndStopsWhenItDropsBelow() throws Exception {
        ApplicationContext ctx = start("ipam_api_warning", Map.of("wgcp.ipam.warn-utilisation", "0.5"));
        String base = url(ctx);
        assertEquals(201, post(base + "/v1/pools", "{\"name\":\"small\",\"network\":\"small\",\"cidr\":\"10.90.0.0/29\"}").status());
        AllocationService allocator = ctx.getBean(AllocationService.class);
        List<UUID> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            peers.add(id);
            allocator.onPeerRegistered(PeerRegistered.newBuilder().setMetadata(META.create("test", 1)).setPeerId(id.toString())
                    .setNetworkId("small").setPublicKey("k" + id).build());
            boolean expected = i == 2; // 3 of 6 is the threshold
            Answer usage = call("GET", base + "/v1/pools/small", null, null);
            assertTrue(usage.body().contains("\"warning\":" + expected), (i + 1) + " of 6 allocated: " + usage.body());
        }
        var metrics = ctx.getBean(dev.wgcp.ipam.service.PoolMetrics.class);
        metrics.refresh();
        assertTrue(call("GET", base + "/prometheus", null, null).body()
                .contains("wgcp_ipam_pool_warning{network=\"small\",pool=\"small\"} 1.0"), "the alert's metric");
        allocator.onPeerRemoved(dev.wgcp.events.v1.PeerRemoved.newBuilder().setMetadata(META.create("test", 2))
                .setPeerId(peers.get(0).toString()).setNetworkId("small").setPublicKey("k" + peers.get(0)).build());
        Answer after = call("GET", base + "/v1/pools/small", null, null);
        assertTrue(after.body().contains("\"warning\":false") && after.body().contains("\"quarantined\":1"), after.body());
    }

    @Test
    void aBadImportSaysWhichRowsAndImportsNothing() throws Exception {
        String b = url(start("ipam_api_bad_import"));
        assertEquals(201, post(b + "/v1/pools", "{\"name\":\"net-v4\",\"network\":\"net\",\"cidr\":\"10.80.0.0/24\"}").status());
        String peer = UUID.randomUUID().toString();
        String csv = "address,status,tenant,cf_wgcp_peer_id\n"
                + "10.80.0.5/24,active,net," + peer + "\n"
                + "10.80.0.6/24,active,net," + peer + "\n"          // the same peer twice
                + "10.99.0.1/24,active,net," + UUID.randomUUID() + "\n" // outside every pool
                + "10.80.0.7/24,active,net,not-a-uuid\n"
                + "10.80.0.8/24,dhcp,net,\n";
        Answer refused = call("POST", b + "/v1/allocations/import", "text/csv", csv);
        assertEquals(400, refused.status(), refused.body());
        for (String expected : List.of("line 3 (10.80.0.6/24): peer " + peer + " already holds 10.80.0.5", "line 4 (10.99.0.1/24): no pool",
                "line 5 (10.80.0.7/24): cf_wgcp_peer_id 'not-a-uuid' is not a peer id: expected a UUID",
                "line 6 (10.80.0.8/24): status 'dhcp' is not supported")) {
            assertTrue(refused.body().contains(expected), expected + " in " + refused.body());
        }
        assertTrue(call("GET", b + "/v1/pools/net-v4", null, null).body().contains("\"allocated\":0"), "nothing imported");
        Answer noHeader = call("POST", b + "/v1/allocations/import", "text/csv", "10.80.0.5/24,active\n");
        assertEquals(400, noHeader.status(), noHeader.body());
        assertTrue(noHeader.body().contains("no address column"), noHeader.body());
        Answer badJson = call("POST", b + "/v1/allocations/import", "application/json", "{\"address\":");
        assertEquals(400, badJson.status(), badJson.body());
    }
}
