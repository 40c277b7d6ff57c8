package dev.wgcp.registry.api;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AllocationFailureReason;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exhausted pool, as ipam-service reports it, becomes a clear answer to the registration that waits for it. */
class AllocationFailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static EmbeddedServer server;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> props = SharedInfra.get().serviceProperties(KafkaAccess.REGISTRY, "allocation_failure_it");
        props.putAll(Map.ofEntries(
                Map.entry("wgcp.registry.bootstrap-token-file", dir.resolve("admin.token").toString()),
                Map.entry("wgcp.registry.address-wait", "20s"),
                Map.entry("wgcp.networks.full.routes", List.of("10.210.0.0/30"))));
        server = ApplicationContext.run(EmbeddedServer.class, props);
        admin = Files.readString(dir.resolve("admin.token")).strip();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    @Test
    void aRegistrationThatCannotGetAnAddressIsToldWhyAndTheRestOfTheApiKnowsIt() throws Exception {
        SharedInfra infra = SharedInfra.get();
        String key = WgKeys.publicKey(WgKeys.generatePrivateKey());
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/v1/networks/full/peers"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"publicKey\":\"" + key + "\"}")).build(), HttpResponse.BodyHandlers.ofString());

        // ipam-service's answer for this peer, as it sends it when the network's pools are full.
        String id = await().atMost(Duration.ofSeconds(15)).until(() -> TopicReader.events(infra.admin(), infra.schemaRegistryUrl(),
                        Topics.PEERS, null).stream().filter(PeerRegistered.class::isInstance).map(PeerRegistered.class::cast)
                .filter(p -> p.getPublicKey().equals(key)).map(PeerRegistered::getPeerId).findFirst().orElse(null), java.util.Objects::nonNull);
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
            producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), id, AddressAllocationFailed.newBuilder()
                    .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                    .setPeerId(id).setNetworkId("full").setReason(AllocationFailureReason.POOL_EXHAUSTED)
                    .setMessage("every address pool of network full is exhausted: full-v4 (10.210.0.0/30); delete peers that are "
                            + "no longer used, or add a pool").build())).get();
        }

        HttpResponse<String> answer = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(409, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("no_address", body.path("error").asText());
        assertTrue(body.path("message").asText().contains("full-v4 (10.210.0.0/30)"), answer.body());
        JsonNode peer = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/v1/peers/" + id))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(peer.path("addressError").asText().contains("exhausted"), peer.toString());
    }
}
