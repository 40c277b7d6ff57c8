package dev.wgcp.registry.api;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** registry-service against the real broker, PostgreSQL and schema registry. */
class RegistryServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EDGE_KEY = WgKeys.publicKey(WgKeys.generatePrivateKey());

    private static SharedInfra infra;
    private static EmbeddedServer server;
    private static HttpClient http;
    private static Path tokenFile;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        infra = SharedInfra.get();
        tokenFile = Files.createTempDirectory("wgcp-registry-it").resolve("admin.token");
        Map<String, Object> props = infra.serviceProperties(KafkaAccess.REGISTRY, "registry_it");
        props.putAll(Map.ofEntries(
                Map.entry("wgcp.registry.bootstrap-token-file", tokenFile.toString()),
                Map.entry("wgcp.registry.expiry-check-interval", "200ms"),
                Map.entry("wgcp.registry.rotation-overlap", "1s"),
                Map.entry("wgcp.networks.lab.routes", List.of("10.200.0.0/24")),
                Map.entry("wgcp.registry.address-wait", "1s"),
                Map.entry("wgcp.outbox.poll-interval", "200ms"),
                Map.entry("wgcp.networks.home.routes", List.of("10.100.0.0/24")),
                Map.entry("wgcp.edges.edge-0.public-key", EDGE_KEY),
                Map.entry("wgcp.edges.edge-0.endpoint", "vpn.example.net:51820"),
                Map.entry("wgcp.edges.edge-0.networks", List.of("home"))));
        server = ApplicationContext.run(EmbeddedServer.class, props);
        http = HttpClient.newHttpClient();
        admin = Files.readString(tokenFile).strip();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    @Test
    void registrationEmitsPeerRegisteredAndTakesTheAssignedAddress() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> created = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\",\"name\":\"laptop\"}");
        // No ipam-service runs in this test: the bounded wait ends and the caller gets a Location to poll.
        assertEquals(202, created.statusCode(), created.body());
        JsonNode peer = JSON.readTree(created.body());
        String id = peer.path("id").asText();
        assertEquals("/v1/peers/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("ACTIVE", peer.path("status").asText());
        assertTrue(!peer.hasNonNull("config"), "no config before an address exists");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(1, events.size());
            PeerRegistered registered = assertInstanceOf(PeerRegistered.class, events.get(0));
            assertEquals(key, registered.getPublicKey());
            assertEquals("home", registered.getNetworkId());
            assertEquals("laptop", registered.getName());
            assertEquals(1, registered.getMetadata().getRevision());
            assertEquals("registry-service", registered.getMetadata().getProducer());
            assertEquals("token:bootstrap-admin", registered.getMetadata().getActor(), "the actor is the token that asked");
        });

        AddressAssigned assigned = AddressAssigned.newBuilder()
                .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                .setPeerId(id).setNetworkId("home").setPool("home").setIpv4Address("10.100.0.7").build();
        produce(assigned, id);
        produce(assigned, id); // redelivery changes nothing

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode got = JSON.readTree(get("/v1/peers/" + id).body());
            assertEquals("10.100.0.7", got.path("ipv4Address").asText());
            String config = got.path("config").asText();
            assertTrue(config.contains("Address = 10.100.0.7/32"), config);
            assertTrue(config.contains("PublicKey = " + EDGE_KEY), config);
            assertTrue(config.contains("Endpoint = vpn.example.net:51820"), config);
            assertTrue(config.contains("AllowedIPs = 10.100.0.0/24"), config);
        });
        HttpResponse<String> text = get("/v1/peers/" + id + "/config");
        assertEquals(200, text.statusCode());
        assertTrue(text.body().startsWith("# wgcp client configuration"), text.body());
    }

    @Test
    void aKeyWhoseLifetimeEndsIsRevokedAutomaticallyAndTheEventSaysWhy() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> created = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\",\"lifetime\":\"2s\"}");
        JsonNode peer = JSON.readTree(created.body());
        String id = peer.path("id").asText();
        assertTrue(peer.hasNonNull("expiresAt"), created.body());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode now = JSON.readTree(get("/v1/peers/" + id).body());
            assertEquals("REVOKED", now.path("status").asText());
            assertEquals("EXPIRED", now.path("revokeReason").asText());
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            KeyRevoked k = assertInstanceOf(KeyRevoked.class, events.get(events.size() - 1));
            assertEquals(dev.wgcp.events.v1.RevocationReason.EXPIRED, k.getReason());
            assertEquals("registry-service", k.getMetadata().getActor());
        });
        assertEquals(409, post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}").statusCode(), "an expired key never comes back");
        assertEquals(400, post("/v1/networks/home/peers", "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey())
                + "\",\"lifetime\":\"soon\"}").statusCode());

        // Phones enrolled with a token that gives their keys a lifetime get it too.
        String secret = JSON.readTree(post("/v1/networks/home/enrolment-tokens", "{\"peerLifetime\":\"12h\"}").body()).path("secret").asText();
        JsonNode enrolled = JSON.readTree(sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + secret + "\",\"publicKey\":\""
                + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}").body());
        java.time.Instant expires = java.time.Instant.parse(enrolled.path("expiresAt").asText());
        assertTrue(expires.isAfter(java.time.Instant.now().plus(Duration.ofHours(11))), enrolled.toString());
    }

    @Test
    void revocationIsTerminalAndEmitsKeyRevoked() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String id = JSON.readTree(post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}").body()).path("id").asText();

        HttpResponse<String> revoked = send("DELETE", "/v1/peers/" + id, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("REVOKED", JSON.readTree(revoked.body()).path("status").asText());
        assertEquals("OPERATOR", JSON.readTree(revoked.body()).path("revokeReason").asText());
        assertEquals(200, send("DELETE", "/v1/peers/" + id, null).statusCode(), "revoking again is harmless");

        HttpResponse<String> again = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(409, again.statusCode());
        assertTrue(JSON.readTree(again.body()).path("message").asText().contains("can never be registered again"), again.body());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(2, events.size(), "one PeerRegistered and exactly one KeyRevoked: " + events);
            KeyRevoked k = assertInstanceOf(KeyRevoked.class, events.get(1));
            assertEquals(key, k.getPublicKey());
            assertEquals(2, k.getMetadata().getRevision());
        });
    }

    @Test
    void badInputGetsA4xxThatSaysWhatIsExpected() throws Exception {
        HttpResponse<String> badKey = post("/v1/networks/home/peers", "{\"publicKey\":\"abc\"}");
        assertEquals(400, badKey.statusCode());
        JsonNode body = JSON.readTree(badKey.body());
        assertEquals("invalid_request", body.path("error").asText());
        assertTrue(body.path("message").asText().contains("32 bytes"), badKey.body());

        HttpResponse<String> noNetwork = post("/v1/networks/nope/peers",
                "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}");
        assertEquals(404, noNetwork.statusCode());
        assertTrue(noNetwork.body().contains("known networks: [home, lab"), noNetwork.body());

        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}");
        HttpResponse<String> dup = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(409, dup.statusCode());
        assertTrue(dup.body().contains("already registered"), dup.body());

        assertEquals(400, get("/v1/peers/not-a-uuid").statusCode());
        assertEquals(404, get("/v1/peers/00000000-0000-0000-0000-000000000000").statusCode());
        HttpResponse<String> notJson = post("/v1/networks/home/peers", "{not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(!notJson.body().contains("at io.micronaut"), "no stack trace: " + notJson.body());
    }

    @Test
    void undecodableAddressRecordsAreDeadLetteredAndTheListenerGoesOn() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String id = JSON.readTree(post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}").body()).path("id").asText();
        Properties p = infra.clientProperties("test-producer");
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.ADDRESSES.name(), id, "{\"not\":\"avro\"}".getBytes())).get();
        }
        produce(AddressAssigned.newBuilder()
                .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                .setPeerId(id).setNetworkId("home").setPool("home").setIpv4Address("10.100.0.9").build(), id);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertEquals("10.100.0.9", JSON.readTree(get("/v1/peers/" + id).body()).path("ipv4Address").asText()));
        List<ConsumerRecord<String, byte[]>> dlq = TopicReader.raw(infra.admin(), Topics.deadLetter(Topics.ADDRESSES.name()));
        ConsumerRecord<String, byte[]> dead = dlq.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();
        assertEquals("{\"not\":\"avro\"}", new String(dead.value()));
        assertTrue(new String(dead.headers().lastHeader("wgcp.dlq.reason").value()).contains("magic byte"));
    }

    @Test
    void everyCallNeedsAValidTokenOfTheRightScope() throws Exception {
        HttpResponse<String> none = sendAs(null, "GET", "/v1/peers", null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(JSON.readTree(none.body()).path("message").asText().contains("Authorization: Bearer"), none.body());
        HttpResponse<String> basic = sendAs("Basic dXNlcjpwYXNz", "GET", "/v1/peers", null);
        assertEquals(401, basic.statusCode());
        assertTrue(basic.body().contains("not a wgcp API token"), basic.body());
        HttpResponse<String> unknown = sendAs("wgcp_" + "A".repeat(43), "GET", "/v1/peers", null);
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("not known"), unknown.body());
        assertEquals(200, sendAs(null, "GET", "/health", null).statusCode(), "health needs no token");

        // An admin issues a read-only token: the secret is in the answer once, never in a listing.
        HttpResponse<String> issued = post("/v1/tokens", "{\"name\":\"dashboard\",\"scope\":\"read-only\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        String readOnly = JSON.readTree(issued.body()).path("secret").asText();
        String readOnlyId = JSON.readTree(issued.body()).path("token").path("id").asText();
        assertTrue(readOnly.startsWith("wgcp_"), issued.body());
        HttpResponse<String> listing = get("/v1/tokens");
        assertTrue(listing.body().contains("dashboard") && !listing.body().contains(readOnly) && !listing.body().contains("secret"),
                listing.body());
        assertEquals(409, post("/v1/tokens", "{\"name\":\"dashboard\",\"scope\":\"admin\"}").statusCode(), "names are unique");
        assertEquals(400, post("/v1/tokens", "{\"name\":\"x\",\"scope\":\"root\"}").statusCode());

        // Stored as a hash only.
        DataSource raw = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                server.getApplicationContext().getBean(DataSource.class));
        try (Connection c = raw.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT secret_hash FROM api_token WHERE name = 'dashboard'")) {
            rs.next();
            assertEquals(dev.wgcp.registry.domain.TokenSecret.hash(readOnly), rs.getString(1));
        }

        assertEquals(200, sendAs(readOnly, "GET", "/v1/peers", null).statusCode());
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> refused = sendAs(readOnly, "POST", "/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("scope read-only") && refused.body().contains("admin or operator"), refused.body());
        assertEquals(403, sendAs(readOnly, "GET", "/v1/tokens", null).statusCode(), "only admins manage tokens");

        // An operator of network lab may register in lab, not in home.
        String labOperator = JSON.readTree(post("/v1/tokens",
                "{\"name\":\"lab-ops\",\"scope\":\"operator\",\"network\":\"lab\"}").body()).path("secret").asText();
        HttpResponse<String> inHome = sendAs(labOperator, "POST", "/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(403, inHome.statusCode());
        assertTrue(inHome.body().contains("scoped to network 'lab'"), inHome.body());
        HttpResponse<String> inLab = sendAs(labOperator, "POST", "/v1/networks/lab/peers", "{\"publicKey\":\"" + key + "\"}");
        assertEquals(202, inLab.statusCode(), inLab.body());
        String labPeer = JSON.readTree(inLab.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals("token:lab-ops",
                ((PeerRegistered) TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, labPeer).get(0))
                        .getMetadata().getActor()));

        // Revoked and expired tokens stop working at once.
        assertEquals(200, send("DELETE", "/v1/tokens/" + readOnlyId, null).statusCode());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> audit = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.CONFIG, readOnlyId);
            assertEquals(2, audit.size(), "issued and revoked, as events: " + audit);
            dev.wgcp.events.v1.CredentialChanged issuedEvent = assertInstanceOf(dev.wgcp.events.v1.CredentialChanged.class, audit.get(0));
            assertEquals(dev.wgcp.events.v1.CredentialAction.ISSUED, issuedEvent.getAction());
            assertEquals("read-only", issuedEvent.getScope());
            assertEquals("token:bootstrap-admin", issuedEvent.getMetadata().getActor());
            assertEquals(dev.wgcp.events.v1.CredentialAction.REVOKED,
                    ((dev.wgcp.events.v1.CredentialChanged) audit.get(1)).getAction());
        });
        assertTrue(TopicReader.raw(infra.admin(), Topics.CONFIG.name()).stream()
                .noneMatch(r -> new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(readOnly)), "never a secret in an event");
        HttpResponse<String> revoked = sendAs(readOnly, "GET", "/v1/peers", null);
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.body().contains("revoked"), revoked.body());
        String shortLived = JSON.readTree(post("/v1/tokens", "{\"name\":\"short\",\"scope\":\"read-only\",\"expiresAt\":\""
                + java.time.Instant.now().plusSeconds(2) + "\"}").body()).path("secret").asText();
        assertEquals(200, sendAs(shortLived, "GET", "/v1/peers", null).statusCode());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> expired = sendAs(shortLived, "GET", "/v1/peers", null);
            assertEquals(401, expired.statusCode());
            assertTrue(expired.body().contains("expired"), expired.body());
        });

        // Every refusal is counted by reason.
        String metrics = get("/prometheus").body();
        for (String reason : List.of("missing", "malformed", "unknown", "scope", "network", "revoked", "expired")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("wgcp_api_auth_failures_total{reason=\"" + reason + "\"")
                    && !l.endsWith(" 0.0")), reason + " counted:\n" + metrics);
        }
        assertEquals(401, sendAs(null, "GET", "/prometheus", null).statusCode(), "metrics need a token too");
    }

    @Test
    void everyRouteWantsACredentialExceptTheOnesThatCheckTheirOwn() throws Exception {
        dev.wgcp.kit.testing.RouteAudit.Result audit = dev.wgcp.kit.testing.RouteAudit.audit(server.getApplicationContext());
        assertTrue(audit.wrong().isEmpty(), String.join("\n", audit.wrong()));
        assertTrue(audit.called().containsKey("POST /v1/networks/{network}/peers") && audit.called().containsKey("GET /prometheus")
                && !audit.called().containsKey("POST /v1/enrol"), "the audit calls the routes that want a token: " + audit.called());
    }

    @Test
    void theBootstrapTokenFileIsReadableByItsOwnerOnly() throws Exception {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertTrue(admin.matches("wgcp_[A-Za-z0-9_-]{43}"));
    }

    @Test
    void aDeviceEnrolsWithATokenThatCannotBeReplayed() throws Exception {
        HttpResponse<String> issued = post("/v1/networks/home/enrolment-tokens",
                "{\"name\":\"alice-phone\",\"tags\":[\"team:ops\",\"phone\"],\"ttl\":\"15m\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        String secret = JSON.readTree(issued.body()).path("secret").asText();
        String tokenId = JSON.readTree(issued.body()).path("token").path("id").asText();
        assertTrue(secret.startsWith("wgce_"), issued.body());
        assertEquals(1, JSON.readTree(issued.body()).path("token").path("maxUses").asInt(), "single use by default");

        // The device needs nothing but the enrolment token and its public key.
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> enrolled = sendAs(null, "POST", "/v1/enrol",
                "{\"token\":\"" + secret + "\",\"publicKey\":\"" + key + "\",\"name\":\"phone\"}");
        assertEquals(202, enrolled.statusCode(), enrolled.body());
        JsonNode peer = JSON.readTree(enrolled.body());
        assertEquals("home", peer.path("networkId").asText());
        assertEquals("[\"phone\",\"team:ops\"]", peer.path("tags").toString());
        String peerId = peer.path("id").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            PeerRegistered e = (PeerRegistered) TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, peerId).get(0);
            assertEquals(List.of("phone", "team:ops"), e.getTags());
            assertEquals("enrolment:alice-phone/" + tokenId, e.getMetadata().getActor());
        });

        // Replayed, even with another key: refused, and nothing registered.
        String other = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> replay = sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + secret + "\",\"publicKey\":\"" + other + "\"}");
        assertEquals(401, replay.statusCode(), replay.body());
        assertTrue(replay.body().contains("used 1 of 1 times"), replay.body());
        JsonNode detail = JSON.readTree(get("/v1/enrolment-tokens/" + tokenId).body());
        assertEquals(1, detail.path("uses").asInt());
        assertEquals(peerId, detail.path("usedBy").get(0).path("peerId").asText());
        assertEquals("127.0.0.1", detail.path("usedBy").get(0).path("remoteAddress").asText());

        // Tokens are not interchangeable, and unknown, revoked or expired ones say so.
        assertEquals(401, sendAs(secret, "GET", "/v1/peers", null).statusCode(), "an enrolment token is no API token");
        assertEquals(400, sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + admin + "\",\"publicKey\":\"" + other + "\"}").statusCode());
        HttpResponse<String> unknown = sendAs(null, "POST", "/v1/enrol", "{\"token\":\"wgce_" + "B".repeat(43) + "\",\"publicKey\":\"" + other + "\"}");
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("not known"), unknown.body());
        JsonNode toRevoke = JSON.readTree(post("/v1/networks/home/enrolment-tokens", "{}").body());
        assertEquals(200, send("DELETE", "/v1/enrolment-tokens/" + toRevoke.path("token").path("id").asText(), null).statusCode());
        HttpResponse<String> revoked = sendAs(null, "POST", "/v1/enrol",
                "{\"token\":\"" + toRevoke.path("secret").asText() + "\",\"publicKey\":\"" + other + "\"}");
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.body().contains("revoked"), revoked.body());
        String expiring = JSON.readTree(post("/v1/networks/home/enrolment-tokens", "{\"ttl\":\"1s\",\"maxUses\":100}").body())
                .path("secret").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String fresh = WgKeys.publicKey(WgKeys.generatePrivateKey());
            HttpResponse<String> expired = sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + expiring + "\",\"publicKey\":\"" + fresh + "\"}");
            assertEquals(401, expired.statusCode());
            assertTrue(expired.body().contains("expired"), expired.body());
        });

        // Issuing needs an operator of that network; bad requests say what is expected.
        assertEquals(400, post("/v1/networks/home/enrolment-tokens", "{\"ttl\":\"forever\"}").statusCode());
        assertEquals(400, post("/v1/networks/home/enrolment-tokens", "{\"maxUses\":0}").statusCode());
        assertEquals(400, post("/v1/networks/home/enrolment-tokens", "{\"tags\":[\"Bad Tag\"]}").statusCode());
        String labOperator = JSON.readTree(post("/v1/tokens",
                "{\"name\":\"lab-enrol\",\"scope\":\"operator\",\"network\":\"lab\"}").body()).path("secret").asText();
        assertEquals(403, sendAs(labOperator, "POST", "/v1/networks/home/enrolment-tokens", "{}").statusCode());
        assertEquals(201, sendAs(labOperator, "POST", "/v1/networks/lab/enrolment-tokens", "{}").statusCode());
    }

    @Test
    void concurrentRedemptionsNeverUseATokenMoreOftenThanItAllows() throws Exception {
        String secret = JSON.readTree(post("/v1/networks/home/enrolment-tokens", "{\"maxUses\":5}").body()).path("secret").asText();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = "{\"token\":\"" + secret + "\",\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}";
            attempts.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/v1/enrol"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long accepted = 0;
        long refused = 0;
        for (var a : attempts) {
            int status = a.get().statusCode();
            accepted += status == 202 || status == 201 ? 1 : 0;
            refused += status == 401 ? 1 : 0;
        }
        assertEquals(5, accepted);
        assertEquals(15, refused);
    }

    @Test
    void aRedemptionThatFailsUsesNothingUp() throws Exception {
        String taken = WgKeys.publicKey(WgKeys.generatePrivateKey());
        assertEquals(202, post("/v1/networks/home/peers", "{\"publicKey\":\"" + taken + "\"}").statusCode());
        String secret = JSON.readTree(post("/v1/networks/home/enrolment-tokens", "{}").body()).path("secret").asText();
        HttpResponse<String> duplicate = sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + secret + "\",\"publicKey\":\"" + taken + "\"}");
        assertEquals(409, duplicate.statusCode(), duplicate.body());
        HttpResponse<String> badKey = sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + secret + "\",\"publicKey\":\"abc\"}");
        assertEquals(400, badKey.statusCode(), badKey.body());
        String fresh = WgKeys.publicKey(WgKeys.generatePrivateKey());
        assertEquals(202, sendAs(null, "POST", "/v1/enrol", "{\"token\":\"" + secret + "\",\"publicKey\":\"" + fresh + "\"}").statusCode(),
                "the token is still unused");
    }

    @Test
    void aGeneratedPrivateKeyIsAnsweredOnceAndNeverKept() throws Exception {
        HttpResponse<String> created = post("/v1/networks/home/peers", "{\"generateKey\":true,\"name\":\"phone\"}");
        assertEquals(202, created.statusCode(), created.body());
        JsonNode peer = JSON.readTree(created.body());
        String privateKey = peer.path("privateKey").asText();
        assertEquals(peer.path("publicKey").asText(), WgKeys.publicKey(privateKey), "wg pubkey agrees with the registry");
        String id = peer.path("id").asText();
        assertTrue(!get("/v1/peers/" + id).body().contains(privateKey), "not in a later answer");
        DataSource raw = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                server.getApplicationContext().getBean(DataSource.class));
        try (Connection c = raw.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT CAST(p.* AS TEXT) FROM peer p WHERE id = '" + id + "'")) {
            rs.next();
            assertTrue(!rs.getString(1).contains(privateKey), "not in the database");
        }
        assertEquals(400, post("/v1/networks/home/peers", "{\"generateKey\":true,\"publicKey\":\""
                + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}").statusCode(), "one or the other");
    }

    @Test
    void nameTagsAndKeepaliveChangeButKeyAndAddressNever() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String id = JSON.readTree(post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\",\"tags\":[\"laptop\"]}").body())
                .path("id").asText();
        HttpResponse<String> updated = send("PATCH", "/v1/peers/" + id, "{\"name\":\"work-laptop\",\"tags\":[\"laptop\",\"team:ops\"],"
                + "\"persistentKeepalive\":0}");
        assertEquals(200, updated.statusCode(), updated.body());
        JsonNode p = JSON.readTree(updated.body());
        assertEquals("work-laptop", p.path("name").asText());
        assertEquals(2, p.path("revision").asInt());
        assertEquals(key, p.path("publicKey").asText());
        assertEquals(200, send("PATCH", "/v1/peers/" + id, "{\"name\":\"work-laptop\"}").statusCode(), "no change, no event");
        HttpResponse<String> newKey = send("PATCH", "/v1/peers/" + id, "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}");
        assertEquals(400, newKey.statusCode());
        assertTrue(newKey.body().contains("never change"), newKey.body());
        assertEquals(400, send("PATCH", "/v1/peers/" + id, "{\"ipv4Address\":\"10.100.0.99\"}").statusCode());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(2, events.size(), events.toString());
            dev.wgcp.events.v1.PeerUpdated u = assertInstanceOf(dev.wgcp.events.v1.PeerUpdated.class, events.get(1));
            assertEquals(List.of("laptop", "team:ops"), u.getTags());
            assertEquals(0, u.getPersistentKeepaliveSeconds());
            assertEquals(2, u.getMetadata().getRevision());
        });
        String listed = get("/v1/peers?tag=team:ops").body();
        assertTrue(listed.contains(id) && JSON.readTree(listed).size() >= 1, listed);
        assertTrue(!get("/v1/peers?tag=nobody-has-this").body().contains(id));
        assertTrue(get("/v1/peers?name=work-laptop").body().contains(id));
        send("DELETE", "/v1/peers/" + id, null);
        assertEquals(409, send("PATCH", "/v1/peers/" + id, "{\"name\":\"x\"}").statusCode(), "a revoked peer cannot change");
    }

    @Test
    void aSiteToSitePeerCarriesTheEndpointEdgesDialAndItCanChange() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpResponse<String> bad = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\",\"endpoint\":\"site.example.net\"}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("is not host:port; expected e.g. vpn.example.net:51820"), bad.body());
        HttpResponse<String> created = post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\",\"name\":\"branch\","
                + "\"endpoint\":\"branch.example.net:51820\"}");
        JsonNode peer = JSON.readTree(created.body());
        String id = peer.path("id").asText();
        assertEquals("branch.example.net:51820", peer.path("endpoint").asText(), created.body());
        HttpResponse<String> moved = send("PATCH", "/v1/peers/" + id, "{\"endpoint\":\"[2001:db8::7]:51820\"}");
        assertEquals(200, moved.statusCode(), moved.body());
        HttpResponse<String> cleared = send("PATCH", "/v1/peers/" + id, "{\"endpoint\":\"\"}");
        JsonNode none = JSON.readTree(cleared.body()).path("endpoint");
        assertTrue(none.isMissingNode() || none.isNull(), "removed: " + cleared.body());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(3, events.size(), events.toString());
            assertEquals("branch.example.net:51820", ((PeerRegistered) events.get(0)).getEndpoint());
            assertEquals("[2001:db8::7]:51820", ((dev.wgcp.events.v1.PeerUpdated) events.get(1)).getEndpoint());
            assertNull(((dev.wgcp.events.v1.PeerUpdated) events.get(2)).getEndpoint());
        });
    }

    @Test
    void hundredConcurrentRegistrationsGiveHundredPeersAndHundredEvents() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\",\"tags\":[\"burst\"]}";
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/v1/networks/home/peers"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var c : calls) {
            HttpResponse<String> r = c.get();
            assertEquals(202, r.statusCode(), r.body());
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }
        assertEquals(100, ids.size());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long events = TopicReader.raw(infra.admin(), Topics.PEERS.name()).stream().filter(r -> ids.contains(r.key())).count();
            assertEquals(100, events, "exactly one PeerRegistered per peer");
        });
    }

    @Test
    void theOpenApiDocumentIsServedToTokenHolders() throws Exception {
        HttpResponse<String> doc = get("/openapi/wgcp-registry-v1.yml");
        assertEquals(200, doc.statusCode(), doc.body());
        for (String path : List.of("/v1/networks/{network}/peers:", "/v1/enrol:", "/v1/tokens:", "/v1/peers/{id}/config.png:")) {
            assertTrue(doc.body().contains(path), path + " documented");
        }
        assertEquals(401, sendAs(null, "GET", "/openapi/wgcp-registry-v1.yml", null).statusCode());
        assertEquals(404, get("/v1/no-such-thing").statusCode(), "an unknown path is not found, not forbidden");
    }

    @Test
    void theFrameworksManagementEndpointsAreOffEvenToAnAdmin() throws Exception {
        for (String path : List.of("/beans", "/routes", "/threaddump", "/info", "/loggers", "/env", "/caches")) {
            assertEquals(404, get(path).statusCode(), path + " is off");
        }
        assertEquals(404, post("/refresh", "{}").statusCode(), "/refresh is off");
        assertEquals(404, post("/stop", "{}").statusCode(), "/stop is off");
        assertEquals(200, sendAs(null, "GET", "/health", null).statusCode(), "health stays open");
        assertEquals(200, get("/prometheus").statusCode(), "metrics stay, behind a token");
    }

    @Test
    void networksAndEdgesAreDefinedThroughTheApi() throws Exception {
        String name = "office-" + Long.toHexString(System.nanoTime()).substring(6);
        HttpResponse<String> created = post("/v1/networks", "{\"name\":\"" + name + "\",\"routes\":[\"10.50.0.0/24\",\"fd00:50::/64\"],"
                + "\"persistentKeepalive\":15,\"pools\":[\"" + name + "-v4\"]}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(409, post("/v1/networks", "{\"name\":\"" + name + "\",\"routes\":[\"10.50.0.0/24\"]}").statusCode());
        HttpResponse<String> badRoute = post("/v1/networks", "{\"name\":\"other\",\"routes\":[\"10.50.0.0/33\"]}");
        assertEquals(400, badRoute.statusCode());
        assertTrue(badRoute.body().contains("not a CIDR"), badRoute.body());

        String edgeKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String signingKey = dev.wgcp.schemas.signing.SigningKey.generate().publicKey().toBase64();
        HttpResponse<String> edge = send("PUT", "/v1/edges/" + name + "-gw", "{\"publicKey\":\"" + edgeKey
                + "\",\"endpoint\":\"gw.office.example:51821\",\"networks\":[\"" + name + "\"],\"signingKey\":\"" + signingKey + "\"}");
        assertEquals(200, edge.statusCode(), edge.body());
        assertEquals(signingKey, JSON.readTree(edge.body()).path("signingKey").asText(), "the key the edge's agent signs its reports with");
        HttpResponse<String> badSigningKey = send("PUT", "/v1/edges/y", "{\"publicKey\":\"" + edgeKey
                + "\",\"endpoint\":\"y.example:51820\",\"networks\":[],\"signingKey\":\"not-a-key\"}");
        assertEquals(400, badSigningKey.statusCode());
        assertTrue(badSigningKey.body().contains("signingKey") && badSigningKey.body().contains("expected 32"), badSigningKey.body());
        HttpResponse<String> badEndpoint = send("PUT", "/v1/edges/x", "{\"publicKey\":\"" + edgeKey + "\",\"endpoint\":\"no port\",\"networks\":[]}");
        assertEquals(400, badEndpoint.statusCode());
        assertTrue(badEndpoint.body().contains("host:port"), badEndpoint.body());
        assertEquals(200, send("PATCH", "/v1/networks/" + name, "{\"dns\":[\"10.50.0.1\"]}").statusCode());
        JsonNode network = JSON.readTree(get("/v1/networks/" + name).body());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> changes = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.CONFIG, name);
            assertEquals(2, changes.size(), "created, then its DNS changed: " + changes);
            assertTrue(((dev.wgcp.events.v1.NetworkChanged) changes.get(0)).getCreated());
            assertEquals(List.of("10.50.0.1"), ((dev.wgcp.events.v1.NetworkChanged) changes.get(1)).getDns());
            dev.wgcp.events.v1.EdgeChanged e = assertInstanceOf(dev.wgcp.events.v1.EdgeChanged.class, TopicReader.events(
                    infra.admin(), infra.schemaRegistryUrl(), Topics.CONFIG, name + "-gw").get(0));
            assertEquals("gw.office.example:51821", e.getEndpoint());
            assertEquals(signingKey, e.getSigningKey(), "announced with the edge, for the consumers of its reports");
        });
        assertEquals("gw.office.example:51821", network.path("edges").get(0).path("endpoint").asText());
        assertEquals("[\"" + name + "-v4\"]", network.path("pools").toString());

        // A peer of the new network gets a config with its edge and DNS.
        String id = JSON.readTree(post("/v1/networks/" + name + "/peers", "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}")
                .body()).path("id").asText();
        assertEquals(15, JSON.readTree(get("/v1/peers/" + id).body()).path("persistentKeepalive").asInt(), "the network's default keepalive");
        produce(AddressAssigned.newBuilder()
                .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                .setPeerId(id).setNetworkId(name).setPool(name + "-v4").setIpv4Address("10.50.0.2").build(), id);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String config = get("/v1/peers/" + id + "/config").body();
            assertTrue(config.contains("Endpoint = gw.office.example:51821") && config.contains("PublicKey = " + edgeKey)
                    && config.contains("DNS = 10.50.0.1") && config.contains("AllowedIPs = 10.50.0.0/24, fd00:50::/64"), config);
        });

        String reader = JSON.readTree(post("/v1/tokens", "{\"name\":\"net-reader\",\"scope\":\"read-only\"}").body()).path("secret").asText();
        assertEquals(200, sendAs(reader, "GET", "/v1/networks", null).statusCode());
        assertEquals(403, sendAs(reader, "POST", "/v1/networks", "{\"name\":\"x\",\"routes\":[\"10.9.0.0/24\"]}").statusCode());
    }

    @Test
    void rotationKeepsTheIdAndAddressAndEndsWithTheOldKeyRevoked() throws Exception {
        String oldKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        JsonNode peer = JSON.readTree(post("/v1/networks/home/peers", "{\"publicKey\":\"" + oldKey + "\"}").body());
        String id = peer.path("id").asText();
        String peerToken = peer.path("peerToken").asText();
        assertTrue(peerToken.startsWith("wgcr_"), peer.toString());
        assertTrue(!get("/v1/peers/" + id).body().contains(peerToken), "shown once");
        produce(AddressAssigned.newBuilder()
                .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                .setPeerId(id).setNetworkId("home").setPool("home").setIpv4Address("10.100.0.77").build(), id);
        await().atMost(Duration.ofSeconds(15)).until(() -> "10.100.0.77".equals(JSON.readTree(get("/v1/peers/" + id).body()).path("ipv4Address").asText()));

        String newKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String body = "{\"publicKey\":\"" + newKey + "\"}";
        HttpResponse<String> anonymous = sendAs(null, "POST", "/v1/peers/" + id + "/rotate", body);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("peer token"), anonymous.body());
        assertEquals(401, sendAs("wgcr_" + "C".repeat(43), "POST", "/v1/peers/" + id + "/rotate", body).statusCode());

        // The device rotates with its peer token: same id, same address, new key, next peer token.
        HttpResponse<String> rotated = sendAs(peerToken, "POST", "/v1/peers/" + id + "/rotate", body);
        assertEquals(200, rotated.statusCode(), rotated.body());
        JsonNode after = JSON.readTree(rotated.body());
        assertEquals(id, after.path("id").asText());
        assertEquals(newKey, after.path("publicKey").asText());
        assertEquals("10.100.0.77", after.path("ipv4Address").asText());
        String nextToken = after.path("peerToken").asText();
        assertTrue(nextToken.startsWith("wgcr_") && !nextToken.equals(peerToken));
        assertEquals(401, sendAs(peerToken, "POST", "/v1/peers/" + id + "/rotate",
                "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}").statusCode(), "a used peer token is spent");

        // KeyRotated now, KeyRevoked (ROTATED) for the old key when the overlap ends; the peer stays active.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(3, events.size(), events.toString());
            dev.wgcp.events.v1.KeyRotated r = assertInstanceOf(dev.wgcp.events.v1.KeyRotated.class, events.get(1));
            assertEquals(oldKey, r.getOldPublicKey());
            assertEquals(newKey, r.getNewPublicKey());
            assertEquals(2, r.getMetadata().getRevision());
            assertEquals("peer:" + id, r.getMetadata().getActor());
            KeyRevoked k = assertInstanceOf(KeyRevoked.class, events.get(2));
            assertEquals(oldKey, k.getPublicKey());
            assertEquals(dev.wgcp.events.v1.RevocationReason.ROTATED, k.getReason());
            assertEquals(3, k.getMetadata().getRevision());
        });
        assertEquals("ACTIVE", JSON.readTree(get("/v1/peers/" + id).body()).path("status").asText());

        // The old key is gone for good; admins may rotate too.
        HttpResponse<String> reuse = post("/v1/networks/home/peers", "{\"publicKey\":\"" + oldKey + "\"}");
        assertEquals(409, reuse.statusCode());
        assertTrue(reuse.body().contains("can never be used again"), reuse.body());
        assertEquals(409, send("POST", "/v1/peers/" + id + "/rotate", "{\"publicKey\":\"" + oldKey + "\"}").statusCode());
        assertEquals(200, send("POST", "/v1/peers/" + id + "/rotate",
                "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}").statusCode());
    }

    @Test
    void deletionRevokesTheKeyThenReleasesTheAddress() throws Exception {
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        String id = JSON.readTree(post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}").body()).path("id").asText();
        HttpResponse<String> deleted = send("DELETE", "/v1/peers/" + id + "?remove=true", null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("DELETED", JSON.readTree(deleted.body()).path("status").asText());
        assertEquals("PEER_DELETED", JSON.readTree(deleted.body()).path("revokeReason").asText());
        assertEquals(200, send("DELETE", "/v1/peers/" + id + "?remove=true", null).statusCode(), "deleting again is harmless");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<SpecificRecord> events = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id);
            assertEquals(3, events.size(), events.toString());
            assertEquals(dev.wgcp.events.v1.RevocationReason.PEER_DELETED, assertInstanceOf(KeyRevoked.class, events.get(1)).getReason());
            dev.wgcp.events.v1.PeerRemoved removed = assertInstanceOf(dev.wgcp.events.v1.PeerRemoved.class, events.get(2));
            assertEquals(3, removed.getMetadata().getRevision());
        });
        assertEquals(409, post("/v1/networks/home/peers", "{\"publicKey\":\"" + key + "\"}").statusCode(), "its key is terminal");
        assertTrue(get("/v1/peers?status=DELETED").body().contains(id));
        assertTrue(!get("/v1/peers?status=ACTIVE").body().contains(id));
    }

    private static void produce(SpecificRecord event, String key) throws Exception {
        Properties p = infra.clientProperties("test-producer");
        EventSerializer serializer = new EventSerializer();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl()), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), key, event)).get();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return sendAs(admin, method, path, body);
    }

    /** A request with {@code token} as bearer token (null: no Authorization header). */
    private static HttpResponse<String> sendAs(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
