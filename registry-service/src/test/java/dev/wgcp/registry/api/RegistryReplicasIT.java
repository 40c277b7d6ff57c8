package dev.wgcp.registry.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.kafka.KafkaAccess;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two registry instances on one database: a registration waits on the instance it was made at, while
 * the consumer group hands each address event to one of the two. Every registration still gets its
 * config in its answer, whichever instance's group member consumed its address (before, about half
 * waited out the bounded wait and answered 202).
 */
class RegistryReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SharedInfra infra;
    private static final List<EmbeddedServer> instances = new ArrayList<>();
    private static String admin;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = SharedInfra.get();
        Path tokenFile = Files.createTempDirectory("wgcp-registry-replicas").resolve("admin.token");
        for (int i = 0; i < 2; i++) {
            Map<String, Object> props = infra.serviceProperties(KafkaAccess.REGISTRY, "registry_replicas_it");
            props.put("wgcp.registry.bootstrap-token-file", tokenFile.toString()); // the second finds the first's token
            props.put("wgcp.registry.address-wait", "20s");
            props.put("wgcp.outbox.poll-interval", "200ms");
            props.put("wgcp.registry.expiry-check-interval", "100ms");
            props.put("wgcp.networks.replicas.routes", List.of("10.120.0.0/24"));
            instances.add(ApplicationContext.run(EmbeddedServer.class, props));
        }
        admin = Files.readString(tokenFile).strip();
    }

    @AfterAll
    static void stop() {
        instances.forEach(s -> s.getApplicationContext().close());
    }

    @Test
    void everyRegistrationGetsItsConfigWhicheverInstanceConsumesItsAddress() throws Exception {
        int peers = 12;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            String body = "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\",\"name\":\"replica-" + i + "\"}";
            answers.add(http.sendAsync(request(instances.get(i % 2), "POST", "/v1/networks/replicas/peers", body),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // ipam-service's part, done here: each peer's address, once its registration is in the database.
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
            for (int i = 0; i < peers; i++) {
                String name = "replica-" + i;
                String id = await().atMost(Duration.ofSeconds(15)).until(() -> peerId(name), found -> found != null);
                producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), id, AddressAssigned.newBuilder()
                        .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                        .setPeerId(id).setNetworkId("replicas").setPool("replicas").setIpv4Address("10.120.0." + (i + 2)).build())).get();
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            statuses.add(answer.get().statusCode());
        }
        assertEquals(java.util.Collections.nCopies(peers, 201), statuses, "every registration answered with its config");
    }

    @Test
    void bothInstancesCheckKeyLifetimesAndEachExpiredKeyIsRevokedOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\",\"lifetime\":\"1s\"}";
            // Without an address the registration answers 202 after the wait; the wait is not what this is about.
            http.sendAsync(request(instances.get(i % 2), "POST", "/v1/networks/replicas/peers", body), HttpResponse.BodyHandlers.ofString());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(request(instances.get(0), "GET", "/v1/peers?network=replicas&status=REVOKED", null),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode revoked = JSON.readTree(r.body());
            ids.clear();
            revoked.forEach(p -> {
                if (p.hasNonNull("expiresAt")) {
                    ids.add(p.path("id").asText());
                }
            });
            assertEquals(10, ids.size(), r.body());
        });
        Thread.sleep(1000); // both schedulers run ten more times: none may revoke again
        for (String id : ids) {
            long revocations = dev.wgcp.infra.TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, id).stream()
                    .filter(dev.wgcp.events.v1.KeyRevoked.class::isInstance).count();
            assertEquals(1, revocations, "peer " + id + " revoked once");
        }
    }

    /**
     * Both instances relay the one outbox. A peer's events must reach the topic in the order they were
     * written: a KeyRevoked that overtakes the KeyRotated before it leaves the rotated-away key on every
     * edge. Before, each relay took the next unlocked rows (SKIP LOCKED), and the second one's batch went
     * out while the first one's was still being sent.
     */
    @Test
    void bothRelaysTogetherSendAPeersEventsInTheOrderTheyWereWritten() throws Exception {
        String peer = java.util.UUID.randomUUID().toString();
        int events = 5000;
        io.micronaut.transaction.TransactionOperations<?> tx = instances.get(0).getApplicationContext()
                .getBean(io.micronaut.transaction.TransactionOperations.class);
        dev.wgcp.kit.outbox.Outbox outbox = instances.get(0).getApplicationContext().getBean(dev.wgcp.kit.outbox.Outbox.class);
        EventMetadataFactory metadata = new EventMetadataFactory("registry-service", Clock.systemUTC());
        tx.executeWrite(status -> {
            for (int revision = 1; revision <= events; revision++) {
                outbox.append(Topics.PEERS, peer, dev.wgcp.events.v1.PeerUpdated.newBuilder()
                        .setMetadata(metadata.create("test", revision)).setPeerId(peer).setNetworkId("replicas")
                        .setName("r" + revision).setPersistentKeepaliveSeconds(0).build());
            }
            return null;
        });
        List<Long> revisions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            revisions.clear();
            dev.wgcp.infra.TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, peer)
                    .forEach(e -> revisions.add(((dev.wgcp.events.v1.PeerUpdated) e).getMetadata().getRevision()));
            return revisions.stream().distinct().count() == events;
        });
        // At least once: a batch may go out again after a failure. What may never happen is a revision's
        // first delivery ahead of an earlier revision's.
        long highest = 0;
        for (int i = 0; i < revisions.size(); i++) {
            long r = revisions.get(i);
            if (r > highest) {
                assertEquals(highest + 1, r, "revision " + r + " reached the topic (offset " + i + ") before revision " + (highest + 1));
                highest = r;
            }
        }
    }

    private static String peerId(String name) throws Exception {
        HttpResponse<String> r = http.send(request(instances.get(0), "GET", "/v1/peers?network=replicas&name=" + name, null),
                HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(r.body());
        return list.isArray() && list.size() == 1 ? list.get(0).path("id").asText() : null;
    }

    private static HttpRequest request(EmbeddedServer server, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
