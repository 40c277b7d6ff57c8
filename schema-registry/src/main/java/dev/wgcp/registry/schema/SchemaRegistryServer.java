package dev.wgcp.registry.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP front of {@link SchemaStore}: the subset of Confluent's Schema Registry REST API that wgcp and
 * Kafka UI use, with Confluent's JSON shapes and error codes.
 *
 * <pre>
 * POST /subjects/{s}/versions                        register       {"id": n}
 * POST /subjects/{s}                                 look up        {"subject","id","version","schema"}
 * GET  /schemas/ids/{id}                             by id          {"schema": "..."}
 * GET  /subjects                                     subjects       ["s", ...]
 * GET  /subjects/{s}/versions                        versions       [1, 2]
 * GET  /subjects/{s}/versions/{v|latest}             one version    {"subject","id","version","schema"}
 * POST /compatibility/subjects/{s}/versions/{v}      check          {"is_compatible": true}
 * GET|PUT /config, GET|PUT /config/{s}               compatibility  {"compatibilityLevel": "BACKWARD"}
 * </pre>
 *
 * Reads (every GET, the look-up and the compatibility check) are open, as a Confluent registry's
 * are to its readers; registering a schema and changing compatibility need HTTP basic credentials
 * that {@link Writers} accepts (401 otherwise), so whoever can reach the registry cannot put a
 * schema of their own under a wgcp subject.
 */
public class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern SUBJECT_VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/?$");
    private static final Pattern SUBJECT_VERSION_SCHEMA = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)/schema/?$");
    private static final Pattern SUBJECT = Pattern.compile("^/subjects/([^/]+)/?$");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("^/schemas/ids/([^/]+)/?$");
    private static final Pattern COMPATIBILITY = Pattern.compile("^/compatibility/subjects/([^/]+)/versions/([^/]+)/?$");
    private static final Pattern SUBJECT_CONFIG = Pattern.compile("^/config/([^/]+)/?$");

    /** Who may write: accepts a username and password of HTTP basic authentication, or not. */
    @FunctionalInterface
    public interface Writers {
        boolean accepts(String username, String password);

        /** Exactly {@code username} with {@code password} (compared in constant time). */
        static Writers of(String username, String password) {
            byte[] expected = password.getBytes(StandardCharsets.UTF_8);
            return (u, p) -> username.equals(u) & MessageDigest.isEqual(expected, p.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final SchemaStore store;
    private final Writers writers;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Starts a registry on {@code host:port} (port 0 picks a free one) whose schemas are kept in
     * {@code dataDir}/schemas.log, or only in memory when {@code dataDir} is null; {@code writers}
     * says whose credentials may register schemas and change compatibility.
     */
    public static SchemaRegistryServer start(String host, int port, Path dataDir, Writers writers) throws IOException {
        return new SchemaRegistryServer(new SchemaStore(dataDir == null ? null : dataDir.resolve("schemas.log")), writers, host, port);
    }

    private SchemaRegistryServer(SchemaStore store, Writers writers, String host, int port) throws IOException {
        this.store = store;
        this.writers = java.util.Objects.requireNonNull(writers, "writers");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object body;
            int status = 200;
            try {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getRawPath();
                if (writes(method, path)) {
                    authorizeWrite(exchange);
                }
                body = route(method, path, exchange);
            } catch (RegistryError e) {
                status = e.status();
                body = error(e.errorCode(), e.getMessage());
                if (status == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"wgcp-schema-registry\"");
                }
            } catch (RuntimeException e) {
                String reference = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
                LOG.error("schema registry request {} {} failed, reference {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                        reference, e);
                status = 500;
                body = error(50001, "Error in the backend data store: internal error; the registry's log has the details under reference "
                        + reference);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Registering a schema, changing compatibility, deleting: what needs a writer's credentials. */
    private static boolean writes(String method, String path) {
        return "PUT".equals(method) || "DELETE".equals(method) || ("POST".equals(method) && SUBJECT_VERSIONS.matcher(path).matches());
    }

    private void authorizeWrite(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String reason = null;
        String username = null;
        if (header == null) {
            reason = "no credentials";
        } else if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            reason = "not HTTP basic";
        } else {
            String decoded;
            try {
                decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                reason = "malformed basic credentials";
            } else {
                username = decoded.substring(0, colon);
                if (!writers.accepts(username, decoded.substring(colon + 1))) {
                    reason = "credentials not accepted";
                }
            }
        }
        if (reason != null) {
            LOG.warn("refused {} {} from {}: {}{}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRemoteAddress(), reason, username == null ? "" : " (user " + username + ")");
            throw new RegistryError(401, 40101, "Unauthorized: registering schemas and changing compatibility need the HTTP basic "
                    + "credentials of a schema writer (a wgcp service); reads need none");
        }
    }

    private Object route(String method, String path, HttpExchange exchange) throws IOException {
        Matcher m;
        if ("/".equals(path)) {
            return JSON.createObjectNode();
        }
        if ((m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if ("POST".equals(method)) {
                JsonNode req = readBody(exchange);
                checkType(req);
                SchemaStore.Version v = store.register(subject, req.path("schema").asText(null));
                LOG.info("registered schema id {} as version {} of subject {}", v.id(), v.version(), subject);
                return JSON.createObjectNode().put("id", v.id());
            }
            requireMethod(method, "GET");
            return store.versions(subject).stream().map(SchemaStore.Version::version).toList();
        }
        if ((m = SUBJECT_VERSION_SCHEMA.matcher(path)).matches()) {
            requireMethod(method, "GET");
            return JSON.readTree(store.version(decode(m.group(1)), decode(m.group(2))).schema());
        }
        if ((m = SUBJECT_VERSION.matcher(path)).matches()) {
            requireMethod(method, "GET");
            return version(store.version(decode(m.group(1)), decode(m.group(2))));
        }
        if ((m = SUBJECT.matcher(path)).matches()) {
            requireMethod(method, "POST");
            String subject = decode(m.group(1));
            JsonNode req = readBody(exchange);
            checkType(req);
            store.versions(subject);
            return version(store.lookup(subject, req.path("schema").asText(null))
                    .orElseThrow(() -> RegistryError.schemaNotFound("under subject '" + subject + "'")));
        }
        if ("/subjects".equals(path) || "/subjects/".equals(path)) {
            requireMethod(method, "GET");
            return store.subjects();
        }
        if ((m = SCHEMA_BY_ID.matcher(path)).matches()) {
            requireMethod(method, "GET");
            int id;
            try {
                id = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw RegistryError.schemaNotFound("with id '" + m.group(1) + "' (expected a number)");
            }
            return JSON.createObjectNode().put("schema", store.schemaById(id));
        }
        if ((m = COMPATIBILITY.matcher(path)).matches()) {
            requireMethod(method, "POST");
            JsonNode req = readBody(exchange);
            checkType(req);
            List<String> problems = store.compatibility(decode(m.group(1)), decode(m.group(2)), req.path("schema").asText(null));
            ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
            if (!problems.isEmpty()) {
                problems.forEach(result.putArray("messages")::add);
            }
            return result;
        }
        if ("/config".equals(path) || "/config/".equals(path)) {
            if ("PUT".equals(method)) {
                CompatibilityLevel level = CompatibilityLevel.parse(readBody(exchange).path("compatibility").asText(null));
                return JSON.createObjectNode().put("compatibility", store.setLevel(null, level).name());
            }
            requireMethod(method, "GET");
            return JSON.createObjectNode().put("compatibilityLevel", store.globalLevel().name());
        }
        if ((m = SUBJECT_CONFIG.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            if ("PUT".equals(method)) {
                CompatibilityLevel level = CompatibilityLevel.parse(readBody(exchange).path("compatibility").asText(null));
                return JSON.createObjectNode().put("compatibility", store.setLevel(subject, level).name());
            }
            requireMethod(method, "GET");
            boolean defaultToGlobal = String.valueOf(exchange.getRequestURI().getQuery()).contains("defaultToGlobal=true");
            CompatibilityLevel level = store.subjectLevel(subject).orElseGet(() -> {
                if (defaultToGlobal) {
                    return store.globalLevel();
                }
                throw new RegistryError(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
            });
            return JSON.createObjectNode().put("compatibilityLevel", level.name());
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found: no such resource " + path);
    }

    private static ObjectNode version(SchemaStore.Version v) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version())
                .put("id", v.id()).put("schema", v.schema());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed: expected " + expected + ", got " + method);
        }
    }

    private static void checkType(JsonNode req) {
        String type = req.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryError.invalidSchema("schemaType " + type + " is not supported; this registry serves AVRO only");
        }
    }

    private static JsonNode readBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw new RegistryError(422, 42201, "Invalid schema: empty request body; expected {\"schema\": \"<Avro schema as a JSON string>\"}");
            }
            JsonNode node = JSON.readTree(bytes);
            if (!node.isObject()) {
                throw new RegistryError(422, 42201, "Invalid schema: expected a JSON object with a \"schema\" field");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryError(400, 400, "Request body is not JSON: " + e.getMessage());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
