package dev.wgcp.cli;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real registry-service (real broker, PostgreSQL and schema registry). */
class WgcpCliIT {

    private static SharedInfra infra;
    private static EmbeddedServer server;
    private static Path adminToken;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        infra = SharedInfra.get();
        adminToken = dir.resolve("admin.token");
        Map<String, Object> props = infra.serviceProperties(KafkaAccess.REGISTRY, "cli_it");
        props.putAll(Map.ofEntries(
                Map.entry("wgcp.registry.bootstrap-token-file", adminToken.toString()),
                Map.entry("wgcp.registry.address-wait", "500ms"),
                Map.entry("wgcp.networks.home.routes", List.of("10.100.0.0/24")),
                Map.entry("wgcp.edges.edge-0.public-key", WgKeys.publicKey(WgKeys.generatePrivateKey())),
                Map.entry("wgcp.edges.edge-0.endpoint", "vpn.example.net:51820"),
                Map.entry("wgcp.edges.edge-0.networks", List.of("home"))));
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    private static CliRun wgcp(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + server.getPort()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    private static CliRun raw(String... all) {
        return CliRun.of(all);
    }

    private static CliRun admin(String... args) {
        List<String> all = new ArrayList<>(List.of("--token-file", adminToken.toString()));
        all.addAll(List.of(args));
        return wgcp(all.toArray(String[]::new));
    }

    private static String idIn(String out) {
        var m = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matcher(out);
        assertTrue(m.find(), "an id in: " + out);
        return m.group();
    }

    @Test
    void operatesPeersTokensEnrolmentAndConfigs() throws Exception {
        CliRun networks = admin("networks");
        assertEquals(0, networks.exit(), networks.err());
        assertTrue(networks.out().contains("home"), networks.out());
        CliRun created = admin("networks", "create", "lab", "--route", "10.60.0.0/24", "--dns", "10.60.0.1");
        assertEquals(0, created.exit(), created.err());
        CliRun edge = admin("networks", "edge", "lab-gw", "--public-key", WgKeys.publicKey(WgKeys.generatePrivateKey()),
                "--endpoint", "lab.example.net:51820", "--network", "lab");
        assertEquals(0, edge.exit(), edge.err());
        assertTrue(admin("networks").out().contains("10.60.0.0/24"));

        CliRun registered = admin("peers", "register", "home", "--public-key", WgKeys.publicKey(WgKeys.generatePrivateKey()),
                "--name", "laptop", "--tag", "cli");
        assertEquals(0, registered.exit(), registered.err());
        String id = idIn(registered.out());
        CliRun listed = admin("peers", "list", "--tag", "cli");
        assertTrue(listed.out().contains(id) && listed.out().contains("laptop"), listed.out());

        // The config, once the address is there: printed, as a file readable by its owner only, as a QR code.
        try (KafkaProducer<String, SpecificRecord> producer = infra.eventProducer()) {
            producer.send(new ProducerRecord<>(Topics.ADDRESSES.name(), id, AddressAssigned.newBuilder()
                    .setMetadata(new EventMetadataFactory("ipam-service", Clock.systemUTC()).create("ipam-service", 1))
                    .setPeerId(id).setNetworkId("home").setPool("home").setIpv4Address("10.100.0.7").build())).get();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> admin("config", id).exit() == 0);
        assertTrue(admin("config", id).out().contains("Address = 10.100.0.7/32"));
        Path file = dir.resolve("laptop.conf");
        assertEquals(0, admin("config", id, "--out", file.toString()).exit());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(admin("config", id, "--qr").out().contains("█"), "a QR code drawn in the terminal");

        assertTrue(admin("peers", "update", id, "--name", "work-laptop").out().contains("work-laptop"));
        String rotatedKey = WgKeys.publicKey(WgKeys.generatePrivateKey());
        CliRun rotated = admin("peers", "rotate", id, "--public-key", rotatedKey);
        assertEquals(0, rotated.exit(), rotated.err());
        assertTrue(rotated.out().contains(rotatedKey) && rotated.out().contains("10.100.0.7"), rotated.out());
        assertTrue(admin("peers", "revoke", id).out().contains("REVOKED"));

        // Tokens: created with the secret shown once; a read-only token is refused changes, with the registry's reason.
        CliRun issued = admin("tokens", "create", "cli-reader", "--scope", "read-only");
        assertEquals(0, issued.exit(), issued.err());
        String secret = issued.out().replaceAll("(?s).*secret \\(shown this once\\): (wgcp_\\S+).*", "$1");
        Path readerFile = Files.writeString(dir.resolve("reader.token"), secret);
        CliRun refused = wgcp("--token-file", readerFile.toString(), "peers", "register", "home", "--generate-key");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("403") && refused.err().contains("scope read-only"), refused.err());
        assertTrue(!admin("tokens", "list").out().contains(secret), "secrets are never listed");

        // Enrolment: an operator's token, redeemed once by a device, refused the second time.
        CliRun enrolment = admin("enrolment", "create", "home", "--tag", "phone", "--ttl", "10m");
        String enrolSecret = enrolment.out().replaceAll("(?s).*secret \\(shown this once\\): (wgce_\\S+).*", "$1");
        Path enrolFile = Files.writeString(dir.resolve("enrol.token"), enrolSecret);
        CliRun enrolled = wgcp("enrol", "--enrolment-token-file", enrolFile.toString(), "--public-key", WgKeys.publicKey(WgKeys.generatePrivateKey()));
        assertEquals(0, enrolled.exit(), enrolled.err());
        CliRun replay = wgcp("enrol", "--enrolment-token-file", enrolFile.toString(), "--public-key", WgKeys.publicKey(WgKeys.generatePrivateKey()));
        assertEquals(1, replay.exit());
        assertTrue(replay.err().contains("used 1 of 1"), replay.err());
    }

    @Test
    void problemsSayWhatIsWrongInOneLine() {
        CliRun noToken = wgcp("networks");
        assertEquals(2, noToken.exit());
        assertTrue(noToken.err().contains("no API token"), noToken.err());
        CliRun unreachable = raw("--url", "http://127.0.0.1:1", "--token-file", adminToken.toString(), "networks");
        assertEquals(3, unreachable.exit());
        assertTrue(unreachable.err().startsWith("wgcp: cannot reach the registry"), unreachable.err());
        CliRun badUrl = raw("--url", "not a url", "--token-file", adminToken.toString(), "networks");
        assertEquals(2, badUrl.exit());
        assertTrue(badUrl.err().contains("expected e.g. http://127.0.0.1:8080"), badUrl.err());
        CliRun both = admin("peers", "register", "home");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--public-key KEY or --generate-key"), both.err());
        assertTrue(!noToken.err().contains("\tat "), "no stack trace");
    }
}
