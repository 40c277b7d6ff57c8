package dev.wgcp.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real registry-service, run from its shaded jar on the shared infrastructure: it issues the API
 * tokens that ipam-service, endpoint-tracker and firewall-sync check under test, and answers their
 * introspection ({@code wgcp.auth.registry-url}). Tests make networks and tokens of each scope
 * through its API with the bootstrap admin token.
 */
public final class RegistryProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOKENS = new AtomicInteger();

    private final ServiceProcess process;
    private final String adminToken;
    private final Map<String, String> ids = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryProcess(ServiceProcess process, String adminToken) {
        this.process = process;
        this.adminToken = adminToken;
    }

    /**
     * Starts registry-service with {@code properties} (its database, broker and signing key) in
     * {@code dir}: the configuration and the bootstrap admin token are written there 0600.
     */
    static RegistryProcess start(Path dir, Map<String, Object> properties) throws IOException {
        Files.createDirectories(dir);
        int port = Ports.free();
        Path tokenFile = dir.resolve("bootstrap-admin.token");
        Properties config = new Properties();
        new TreeMap<>(properties).forEach((k, v) -> config.setProperty(k, String.valueOf(v)));
        config.setProperty("micronaut.server.port", String.valueOf(port));
        config.setProperty("wgcp.registry.bootstrap-token-file", tokenFile.toString());
        Path file = dir.resolve("registry.properties");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, "registry-service of a test JVM (holds the database password)");
        }
        ServiceProcess process = ServiceProcess.start("registry-service", ServiceProcess.jar(repoRoot(), "registry-service"), file,
                dir.resolve("registry-service.log"), port);
        try {
            process.awaitHealthy(Duration.ofSeconds(120));
            return new RegistryProcess(process, Files.readString(tokenFile).strip());
        } catch (RuntimeException | IOException e) {
            process.close();
            throw e;
        }
    }

    /** The checkout: the directory above the module a test runs in, which holds registry-service/. */
    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("registry-service").resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no registry-service module above " + Path.of("").toAbsolutePath());
    }

    public String url() {
        return process.url();
    }

    /** The bootstrap admin token: every scope, every network. */
    public String adminToken() {
        return adminToken;
    }

    /** Creates network {@code name} with {@code route} when it does not exist yet. */
    public void network(String name, String route) {
        HttpResponse<String> r = send("POST", "/v1/networks", adminToken, Map.of("name", name, "routes", java.util.List.of(route)));
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("POST /v1/networks " + name + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** A new token of {@code scope} (admin, operator, read-only, agent), for {@code network} or every network (null). */
    public String token(String scope, String network) {
        Map<String, Object> body = new TreeMap<>();
        body.put("name", "test-" + scope + "-" + TOKENS.incrementAndGet());
        body.put("scope", scope);
        if (network != null) {
            body.put("network", network);
        }
        HttpResponse<String> r = send("POST", "/v1/tokens", adminToken, body);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST /v1/tokens answered " + r.statusCode() + ": " + r.body());
        }
        try {
            JsonNode issued = JSON.readTree(r.body());
            String secret = issued.path("secret").asText();
            ids.put(secret, issued.path("token").path("id").asText());
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Revokes the token whose secret is {@code secret}. */
    public void revoke(String secret) {
        String id = ids.get(secret);
        if (id == null) {
            throw new IllegalArgumentException("not a token this registry issued to a test");
        }
        HttpResponse<String> r = send("DELETE", "/v1/tokens/" + id, adminToken, null);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("DELETE /v1/tokens/" + id + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token);
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("registry-service at " + url() + " did not answer " + method + " " + path + "; end of its log:\n"
                    + process.tail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
