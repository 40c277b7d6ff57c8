package dev.wgcp.firewall.messaging;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.RegistryProcess;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.kit.testing.RouteAudit;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** firewall-sync against the real broker, schema registry and PostgreSQL. */
class FirewallSyncIT {

    private static final EventMetadataFactory META = new EventMetadataFactory("test", Clock.systemUTC());

    private static ApplicationContext start(SharedInfra infra, String edge, String network) {
        return start(infra, edge, network, "50ms");
    }

    private static ApplicationContext start(SharedInfra infra, String edge, String network, String minPublishInterval) {
        Map<String, Object> props = infra.serviceProperties(KafkaAccess.FIREWALL, "firewall_it");
        props.putAll(infra.authProperties()); // API tokens are the registry's, checked by it
        props.put("wgcp.firewall.min-publish-interval", minPublishInterval);
        props.put("wgcp.firewall.edges." + edge + ".network", network);
        props.put("wgcp.firewall.edges." + edge + ".interface", "wg0");
        return ApplicationContext.run(props);
    }

    private static List<FirewallRulesetChanged> rulesets(SharedInfra infra, String edge) {
        return TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.RULESETS, edge).stream()
                .map(FirewallRulesetChanged.class::cast).toList();
    }

    @Test
    void publishesARulesetOnlyWhenItChangesAndRevocationRemovesTheAddress() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String edge = "edge-" + suffix;
        String network = "net-" + suffix;
        String p1 = UUID.randomUUID().toString();
        String p2 = UUID.randomUUID().toString();
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
            for (String[] p : new String[][] {{p1, "10.100.0.2"}, {p2, "10.100.0.3"}}) {
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), p[0], PeerRegistered.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(p[0]).setNetworkId(network).setPublicKey("K" + p[0]).build()));
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), p[0], AddressAssigned.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(p[0]).setNetworkId(network).setPool("p")
                        .setIpv4Address(p[1]).build()));
            }
            producer.flush();

            try (ApplicationContext sync = start(infra, edge, network)) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    List<FirewallRulesetChanged> r = rulesets(infra, edge);
                    assertEquals(1, r.size());
                    assertTrue(r.get(0).getRuleset().contains("elements = { 10.100.0.2, 10.100.0.3 }"), r.get(0).getRuleset());
                });

                // A redelivered registration changes nothing: no new revision.
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), p1, PeerRegistered.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(p1).setNetworkId(network).setPublicKey("K" + p1).build()));
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), p1, KeyRevoked.newBuilder()
                        .setMetadata(META.create("test", 2)).setPeerId(p1).setNetworkId(network).setPublicKey("K" + p1).build()));
                producer.flush();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    List<FirewallRulesetChanged> r = rulesets(infra, edge);
                    assertEquals(2, r.size(), "one new ruleset for the revocation, none for the redelivery");
                    assertEquals(2, r.get(1).getMetadata().getRevision());
                    assertFalse(r.get(1).getRuleset().contains("10.100.0.2"), r.get(1).getRuleset());
                    assertTrue(r.get(1).getRuleset().contains("elements = { 10.100.0.3 }"), r.get(1).getRuleset());
                });
            }
            // Another edge (its credentials and key) claims this edge applied revision 2; and someone with no edge key: neither counts.
            FirewallRulesetChanged second = rulesets(infra, edge).get(1);
            dev.wgcp.events.v1.RulesetApplied ack = dev.wgcp.events.v1.RulesetApplied.newBuilder()
                    .setMetadata(META.create("test", 1)).setEdgeId(edge).setRulesetRevision(2).setSha256(second.getSha256())
                    .setApplied(true).setReason("ruleset r2 replaces r1").setAppliedAt(java.time.Instant.now()).build();
            producer.send(new ProducerRecord<>(Topics.CONFIG.name(), edge, infra.edgeChanged(edge, edge + ".example.net:51820", network)));
            producer.send(new ProducerRecord<>(Topics.CONFIG.name(), "other-" + suffix,
                    infra.edgeChanged("other-" + suffix, "other.example.net:51820", network)));
            producer.flush();
            try (KafkaProducer<String, SpecificRecord> other = infra.edgeProducer("other-" + suffix);
                 KafkaProducer<String, SpecificRecord> forger = infra.unsignedProducer()) {
                other.send(new ProducerRecord<>(Topics.RULESET_ACKS.name(), edge, ack)).get();
                forger.send(new ProducerRecord<>(Topics.RULESET_ACKS.name(), edge, ack)).get();
            }
            try (ApplicationContext forged = start(infra, edge, network)) {
                RulesetPublisher publisher = forged.getBean(RulesetPublisher.class);
                await().atMost(Duration.ofSeconds(20)).until(publisher::isReady);
                assertFalse(publisher.inSync(edge), "no edge but this one can say what it applied");
                io.micrometer.core.instrument.MeterRegistry meters = forged.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                assertEquals(2.0, meters.find("wgcp.firewall.acks.refused").tag("edge", edge).counters().stream()
                        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
            }
            // The edge's own agent acknowledges revision 2: the status says the edge has what it should.
            try (KafkaProducer<String, SpecificRecord> agent = infra.edgeProducer(edge)) {
                agent.send(new ProducerRecord<>(Topics.RULESET_ACKS.name(), edge, ack)).get();
            }
            // A restart rebuilds from the topics, finds the same ruleset published and publishes nothing.
            try (ApplicationContext again = start(infra, edge, network)) {
                RulesetPublisher publisher = again.getBean(RulesetPublisher.class);
                await().atMost(Duration.ofSeconds(20)).until(publisher::isReady);
                assertEquals(2, publisher.published(edge).orElseThrow().getMetadata().getRevision());
                assertEquals(2, rulesets(infra, edge).size(), "nothing published again after a restart");
                dev.wgcp.firewall.api.RulesetController api = again.getBean(dev.wgcp.firewall.api.RulesetController.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> api.status(edge).inSync());
                assertEquals(2L, api.status(edge).ackedRevision());
                String acked = api.acked(edge).body();
                assertTrue(acked.startsWith("# revision 2, sha256 " + second.getSha256() + ", applied at"), acked);
                assertTrue(acked.contains("elements = { 10.100.0.3 }"), acked);
            }
        }
    }

    @Test
    void twoInstancesWriteAnEdgesRulesetsOneAtATimeAndTheSurvivorTakesOver() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String edge = "edge-" + suffix;
        String network = "net-" + suffix;
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
            ApplicationContext first = start(infra, edge, network);
            ApplicationContext second = start(infra, edge, network);
            try {
                for (ApplicationContext c : List.of(first, second)) {
                    await().atMost(Duration.ofSeconds(20)).until(c.getBean(RulesetPublisher.class)::isReady);
                }
                // Changes that both instances see within milliseconds of each other.
                for (int i = 0; i < 6; i++) {
                    String p = UUID.randomUUID().toString();
                    producer.send(new ProducerRecord<>(Topics.PEERS.name(), p, PeerRegistered.newBuilder()
                            .setMetadata(META.create("test", 1)).setPeerId(p).setNetworkId(network).setPublicKey("K" + p).build()));
                    producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), p, AddressAssigned.newBuilder()
                            .setMetadata(META.create("test", 1)).setPeerId(p).setNetworkId(network).setPool("p")
                            .setIpv4Address("10.101.0." + (i + 2)).build())).get();
                    int peers = i + 1;
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                            rulesets(infra, edge).stream().anyMatch(r -> r.getAllowedAddresses().size() == peers)));
                }
                assertEquals(1, List.of(first, second).stream().filter(c -> c.getBean(EdgeWriters.class).holds(edge)).count(),
                        "one writer for the edge");
                // The writer stops; the other takes the edge over and publishes the next change.
                ApplicationContext writer = first.getBean(EdgeWriters.class).holds(edge) ? first : second;
                ApplicationContext survivor = writer == first ? second : first;
                writer.close();
                await().atMost(Duration.ofSeconds(20)).until(() -> survivor.getBean(EdgeWriters.class).holds(edge));
                String last = UUID.randomUUID().toString();
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), last, PeerRegistered.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(last).setNetworkId(network).setPublicKey("K" + last).build()));
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), last, AddressAssigned.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(last).setNetworkId(network).setPool("p")
                        .setIpv4Address("10.101.0.99").build())).get();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                        rulesets(infra, edge).stream().anyMatch(r -> r.getAllowedAddresses().contains("10.101.0.99"))));
            } finally {
                first.close();
                second.close();
            }
            List<Long> revisions = rulesets(infra, edge).stream().map(r -> r.getMetadata().getRevision()).toList();
            assertEquals(revisions.stream().sorted().distinct().toList(), revisions,
                    "every ruleset of the edge has its own revision, rising in the order they were published");
        }
    }

    @Test
    void aBurstOfChangesIsFoldedIntoFewRulesetsAndTheLastHasEveryPeer() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String edge = "edge-" + suffix;
        String network = "net-" + suffix;
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer();
             ApplicationContext sync = start(infra, edge, network, "500ms")) {
            RulesetPublisher publisher = sync.getBean(RulesetPublisher.class);
            await().atMost(Duration.ofSeconds(20)).until(publisher::isReady);
            int peers = 200;
            java.util.Set<String> addresses = new java.util.TreeSet<>();
            long started = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                String id = UUID.randomUUID().toString();
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), id, PeerRegistered.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(id).setNetworkId(network).setPublicKey("K" + id).build()));
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), id, AddressAssigned.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(id).setNetworkId(network).setPool("p")
                        .setIpv4Address("10.100.0." + (i + 2)).build()));
                addresses.add("10.100.0." + (i + 2));
                producer.flush(); // one registration at a time, so that each can reach the service on its own
            }
            long sendingMillis = (System.nanoTime() - started) / 1_000_000;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<FirewallRulesetChanged> r = rulesets(infra, edge);
                assertFalse(r.isEmpty());
                String last = r.get(r.size() - 1).getRuleset();
                assertTrue(last.contains("elements = { " + String.join(", ", addresses) + " }"), "the last ruleset holds every peer");
            });
            // One pass at once, then one per 500 ms at most while changes arrive (the service may read them a
            // little after they were sent: one interval of slack), and one after the last change.
            int published = rulesets(infra, edge).size();
            long bound = 3 + sendingMillis / 500;
            assertTrue(published <= bound, published + " rulesets for " + peers + " registrations sent in " + sendingMillis
                    + " ms; expected at most " + bound);
        }
    }

    /** As the registry's bootstrap admin. */
    private static HttpResponse<String> call(ApplicationContext sync, String method, String path, String body) throws Exception {
        return callAs(SharedInfra.get().registry().adminToken(), sync, method, path, body);
    }

    private static HttpResponse<String> callAs(String token, ApplicationContext sync, String method, String path, String body)
            throws Exception {
        int port = sync.getBean(EmbeddedServer.class).getPort();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyRouteWantsACredentialAndTokensAreHeldToTheirScopeAndNetwork() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String edge = "edge-" + suffix;
        String a = "fw-a-" + suffix;
        String b = "fw-b-" + suffix;
        RegistryProcess registry = infra.registry();
        registry.network(a, "10.110.0.0/24");
        registry.network(b, "10.111.0.0/24");
        String operatorA = registry.token("operator", a);
        String fleetOperator = registry.token("operator", null);
        String readOnly = registry.token("read-only", null);
        String agent = registry.token("agent", null);
        try (ApplicationContext sync = start(infra, edge, a)) {
            sync.getBean(EmbeddedServer.class).start();
            RouteAudit.Result audit = RouteAudit.audit(sync);
            assertTrue(audit.wrong().isEmpty(), String.join("\n", audit.wrong()));
            assertTrue(audit.called().containsKey("PUT /v1/networks/{network}/policies/{name}") && audit.called().containsKey("GET /prometheus"),
                    "the audit calls the routes: " + audit.called());

            // An operator of network a changes a's firewall, and nothing of b's.
            assertEquals(200, callAs(operatorA, sync, "PUT", "/v1/networks/" + a + "/groups/everyone", "{\"allPeers\":true}").statusCode());
            assertEquals(200, callAs(operatorA, sync, "GET", "/v1/networks/" + a + "/firewall", null).statusCode());
            for (String[] call : new String[][] {{"PUT", "/groups/everyone", "{\"allPeers\":true}"}, {"GET", "/firewall", null},
                    {"PUT", "/policies/p", "{\"from\":\"everyone\",\"toGroup\":\"everyone\"}"}, {"DELETE", "/groups/everyone", null},
                    {"PUT", "/allow-lists/l", "{\"group\":\"everyone\"}"}, {"DELETE", "/allow-lists/l", null}}) {
                HttpResponse<String> r = callAs(operatorA, sync, call[0], "/v1/networks/" + b + call[1], call[2]);
                assertEquals(403, r.statusCode(), call[0] + " " + call[1] + ": " + r.body());
                assertTrue(r.body().contains("is scoped to network '" + a + "' and cannot act on network '" + b + "'"), r.body());
            }
            assertEquals(200, callAs(fleetOperator, sync, "PUT", "/v1/networks/" + b + "/groups/everyone", "{\"allPeers\":true}").statusCode());
            // An edge's ruleset holds every network it serves: no token limited to one network reads it.
            HttpResponse<String> ruleset = callAs(operatorA, sync, "GET", "/v1/edges/" + edge + "/ruleset", null);
            assertEquals(403, ruleset.statusCode(), ruleset.body());
            // Read-only tokens read; they and agent tokens change nothing.
            assertEquals(200, callAs(readOnly, sync, "GET", "/v1/networks/" + b + "/firewall", null).statusCode());
            for (String token : List.of(readOnly, agent)) {
                HttpResponse<String> put = callAs(token, sync, "PUT", "/v1/networks/" + a + "/groups/x", "{\"allPeers\":true}");
                assertEquals(403, put.statusCode(), put.body());
                assertTrue(put.body().contains("needs a token with scope admin or operator"), put.body());
                assertEquals(403, callAs(token, sync, "DELETE", "/v1/networks/" + a + "/groups/everyone", null).statusCode());
            }
            assertEquals(403, callAs(agent, sync, "GET", "/v1/networks/" + a + "/firewall", null).statusCode(),
                    "agents get their rulesets, signed, from Kafka");
            String view = call(sync, "GET", "/v1/networks/" + a + "/firewall", null).body();
            assertTrue(view.contains("everyone") && !view.contains("\"x\""), view);
        }
    }

    @Test
    void policiesFromTheApiBecomeRulesAndAnAllowListFollowsItsGroupsEndpoints() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String edge = "edge-" + suffix;
        String network = "net-" + suffix;
        String admin = UUID.randomUUID().toString();
        String developer = UUID.randomUUID().toString();
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer();
             ApplicationContext sync = start(infra, edge, network)) {
            sync.getBean(EmbeddedServer.class).start();
            for (String[] p : new String[][] {{admin, "10.100.0.2", "admin"}, {developer, "10.100.0.3", "dev"}}) {
                producer.send(new ProducerRecord<>(Topics.PEERS.name(), p[0], PeerRegistered.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(p[0]).setNetworkId(network).setPublicKey("K" + p[0])
                        .setTags(List.of(p[2])).build()));
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), p[0], AddressAssigned.newBuilder()
                        .setMetadata(META.create("test", 1)).setPeerId(p[0]).setNetworkId(network).setPool("p")
                        .setIpv4Address(p[1]).build()));
            }
            producer.flush();
            String base = "/v1/networks/" + network;
            assertEquals(200, call(sync, "PUT", base + "/groups/admins", "{\"tags\":[\"admin\"]}").statusCode());
            HttpResponse<String> devs = call(sync, "PUT", base + "/groups/devs", "{\"tags\":[\"dev\"]}");
            assertTrue(devs.body().contains("\"markBit\":1") && devs.body().contains("0x00000002"), devs.body());
            HttpResponse<String> policy = call(sync, "PUT", base + "/policies/admin-ssh",
                    "{\"from\":\"admins\",\"toGroup\":\"devs\",\"protocol\":\"tcp\",\"ports\":[\"22\"]}");
            assertEquals(200, policy.statusCode(), policy.body());
            assertEquals(200, call(sync, "PUT", base + "/allow-lists/mgmt",
                    "{\"group\":\"admins\",\"protocol\":\"tcp\",\"ports\":[\"22\"]}").statusCode());

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String text = call(sync, "GET", "/v1/edges/" + edge + "/ruleset", null).body();
                assertTrue(text.contains("ip saddr @g_admins_v4 ip daddr @g_devs_v4 tcp dport 22 ct state new accept comment \"admin-ssh\""),
                        text);
                assertTrue(text.contains("set g_admins_v4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.100.0.2 }"), text);
                assertTrue(text.contains("ct mark set ct mark or 0x00000002"), text);
            });

            // The admin is seen from a public address, then roams: the allow-list's set follows.
            for (String[] seen : new String[][] {{"198.51.100.7:41000", "1"}, {"203.0.113.9:41000", "2"}}) {
                producer.send(new ProducerRecord<>(Topics.ENDPOINTS.name(), admin, dev.wgcp.events.v1.EndpointChanged.newBuilder()
                        .setMetadata(META.create("endpoint-tracker", Long.parseLong(seen[1]))).setPeerId(admin).setPublicKey("K" + admin)
                        .setEdgeId(edge).setNetworkId(network).setNewEndpoint(seen[0]).setObservedAt(java.time.Instant.now())
                        .setKind(dev.wgcp.events.v1.EndpointChangeKind.ROAMED).build()));
                producer.flush();
                String host = seen[0].substring(0, seen[0].indexOf(':'));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    String text = call(sync, "GET", "/v1/edges/" + edge + "/ruleset", null).body();
                    assertTrue(text.contains("set a_mgmt_v4 {\n\t\ttype ipv4_addr\n\t\telements = { " + host + " }"), text);
                });
            }

            // Bad input: what was wrong and what is expected.
            HttpResponse<String> unknownGroup = call(sync, "PUT", base + "/policies/p", "{\"from\":\"ops\",\"toGroup\":\"devs\"}");
            assertEquals(400, unknownGroup.statusCode());
            assertTrue(unknownGroup.body().contains("group ops, which does not exist") && unknownGroup.body().contains("create it first"),
                    unknownGroup.body());
            HttpResponse<String> badPort = call(sync, "PUT", base + "/policies/p",
                    "{\"from\":\"admins\",\"toGroup\":\"devs\",\"protocol\":\"tcp\",\"ports\":[\"ssh\"]}");
            assertEquals(400, badPort.statusCode());
            assertTrue(badPort.body().contains("not a number: expected e.g. 22"), badPort.body());
            HttpResponse<String> inUse = call(sync, "DELETE", base + "/groups/devs", null);
            assertEquals(409, inUse.statusCode());
            assertTrue(inUse.body().contains("used by policy admin-ssh"), inUse.body());
            assertEquals(404, call(sync, "DELETE", base + "/policies/nothing", null).statusCode());
            assertEquals(400, call(sync, "PUT", base + "/groups/Bad_Name", "{\"allPeers\":true}").statusCode());

            // Deleting the policy takes its rule out; every change is on the config topic with its definition.
            assertEquals(204, call(sync, "DELETE", base + "/policies/admin-ssh", null).statusCode());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertFalse(
                    call(sync, "GET", "/v1/edges/" + edge + "/ruleset", null).body().contains("admin-ssh")));
            List<dev.wgcp.events.v1.FirewallPolicyChanged> changes = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(),
                    Topics.CONFIG, network + "/policy/admin-ssh").stream().map(dev.wgcp.events.v1.FirewallPolicyChanged.class::cast).toList();
            assertEquals(List.of(false, true), changes.stream().map(dev.wgcp.events.v1.FirewallPolicyChanged::getDeleted).toList());
            assertTrue(changes.get(0).getDefinition().contains("\"toGroup\":\"devs\""), changes.get(0).getDefinition());
            String view = call(sync, "GET", base + "/firewall", null).body();
            assertTrue(view.contains("\"name\":\"mgmt\"") && !view.contains("admin-ssh"), view);
        }
    }

    @Test
    void aRulesetOfTensOfThousandsOfPeersFitsOnTheTopic() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String edge = "edge-big-" + UUID.randomUUID().toString().substring(0, 8);
        List<dev.wgcp.firewall.domain.FirewallPeer> peers = new java.util.ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            peers.add(new dev.wgcp.firewall.domain.FirewallPeer(UUID.randomUUID().toString(), "10." + (64 + i / 62500) + "."
                    + (i / 250 % 250) + "." + (i % 250 + 2), String.format("fd00:64::%x", i + 2), java.util.Set.of("user"), null));
        }
        dev.wgcp.firewall.domain.Ruleset ruleset = dev.wgcp.firewall.domain.RulesetCompiler.compile(
                new dev.wgcp.firewall.domain.EdgeSpec(edge, "home", "wg0"), peers, new dev.wgcp.firewall.domain.PolicySet(
                        List.of(new dev.wgcp.firewall.domain.PeerGroup("home", "users", List.of("user"), List.of(), false, 0)),
                        List.of(), List.of()));
        assertTrue(ruleset.text().length() > 1_500_000, "larger than Kafka's default 1 MB: " + ruleset.text().length());
        try (KafkaProducer<String, SpecificRecord> producer = dev.wgcp.schemas.Producers.largeEvents(infra.admin(),
                new dev.wgcp.schemas.SchemaRegistryClient(infra.schemaRegistryUrl()), "test-large", null)) {
            producer.send(new ProducerRecord<>(Topics.RULESETS.name(), edge, FirewallRulesetChanged.newBuilder()
                    .setMetadata(META.create("firewall-sync", 1)).setEdgeId(edge).setTable(ruleset.table())
                    .setAllowedAddresses(ruleset.allowedAddresses()).setRuleset(ruleset.text()).setSha256(ruleset.sha256()).build()))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        List<FirewallRulesetChanged> read = rulesets(infra, edge);
        assertEquals(1, read.size());
        assertEquals(ruleset.sha256(), read.get(0).getSha256());
        assertEquals(ruleset.text(), read.get(0).getRuleset());
    }
}
