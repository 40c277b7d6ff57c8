package dev.wgcp.registry.api;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.Ports;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS in place of API tokens: client certificates issued by a test CA (keytool), on the real registry. */
class MutualTlsIT {

    private static final String PASS = "changeit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static EmbeddedServer server;
    private static int httpsPort;

    private static void keytool(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Shell.run(cmd);
    }

    /** A key pair for {@code cn} signed by the test CA, in {@code <name>.p12} with the CA certificate. */
    private static Path issue(String name, String cn, String san) {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASS, "-file", dir.resolve(name + ".csr").toString());
        List<String> gencert = new java.util.ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(),
                "-storepass", PASS, "-infile", dir.resolve(name + ".csr").toString(), "-outfile", dir.resolve(name + ".pem").toString(),
                "-rfc", "-validity", "2"));
        if (san != null) {
            gencert.addAll(List.of("-ext", "san=" + san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASS, "-file", dir.resolve("ca.pem").toString(), "-noprompt");
        keytool("-importcert", "-alias", name, "-keystore", store.toString(), "-storepass", PASS, "-file", dir.resolve(name + ".pem").toString());
        return store;
    }

    @BeforeAll
    static void start() {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=wgcp-test-ca", "-ext", "bc:c",
                "-validity", "2", "-keystore", dir.resolve("ca.p12").toString(), "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-exportcert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASS, "-rfc",
                "-file", dir.resolve("ca.pem").toString());
        keytool("-importcert", "-alias", "ca", "-keystore", dir.resolve("trust.p12").toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-file", dir.resolve("ca.pem").toString(), "-noprompt");
        Path serverStore = issue("server", "localhost", "ip:127.0.0.1,dns:localhost");
        issue("robot", "ops-robot", null);
        issue("stranger", "stranger", null);

        httpsPort = Ports.free();
        Map<String, Object> props = SharedInfra.get().serviceProperties(KafkaAccess.REGISTRY, "mtls_it");
        props.putAll(Map.ofEntries(
                Map.entry("micronaut.server.dual-protocol", true),
                Map.entry("micronaut.server.ssl.enabled", true),
                Map.entry("micronaut.server.ssl.port", httpsPort),
                Map.entry("micronaut.server.ssl.client-authentication", "want"),
                Map.entry("micronaut.server.ssl.key-store.path", "file:" + serverStore),
                Map.entry("micronaut.server.ssl.key-store.password", PASS),
                Map.entry("micronaut.server.ssl.key-store.type", "PKCS12"),
                Map.entry("micronaut.server.ssl.trust-store.path", "file:" + dir.resolve("trust.p12")),
                Map.entry("micronaut.server.ssl.trust-store.password", PASS),
                Map.entry("micronaut.server.ssl.trust-store.type", "PKCS12"),
                Map.entry("wgcp.registry.mtls.clients.ops-robot.scope", "operator"),
                Map.entry("wgcp.registry.mtls.clients.ops-robot.network", "home"),
                Map.entry("wgcp.registry.address-wait", "200ms"),
                Map.entry("wgcp.networks.home.routes", List.of("10.100.0.0/24"))));
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    private static HttpClient client(String keyStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
            trust.load(in, PASS.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(keyStore + ".p12"))) {
                keys.load(in, PASS.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASS.toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> call(HttpClient http, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTrustedClientCertificateStandsInForAnApiToken() throws Exception {
        HttpClient robot = client("robot");
        assertEquals(200, call(robot, "GET", "/v1/peers", null).statusCode());
        HttpResponse<String> registered = call(robot, "POST", "/v1/networks/home/peers",
                "{\"publicKey\":\"" + WgKeys.publicKey(WgKeys.generatePrivateKey()) + "\"}");
        assertEquals(202, registered.statusCode(), registered.body());
        String id = JSON.readTree(registered.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals("cert:ops-robot",
                ((PeerRegistered) TopicReader.events(SharedInfra.get().admin(), SharedInfra.get().schemaRegistryUrl(),
                        Topics.PEERS, id).get(0)).getMetadata().getActor()));
        assertEquals(403, call(robot, "GET", "/v1/tokens", null).statusCode(), "an operator certificate is no admin");

        assertEquals(401, call(client("stranger"), "GET", "/v1/peers", null).statusCode(), "a certificate nobody configured");
        assertEquals(401, call(client(null), "GET", "/v1/peers", null).statusCode(), "no certificate, no token");
        assertTrue(call(client(null), "GET", "/health", null).statusCode() == 200);
    }
}
