package dev.wgcp.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (the subset wgcp uses): register a schema under a
 * subject, fetch a schema by id, list subjects and versions. Registrations and look-ups are cached:
 * a schema id never changes meaning, so a cached id or schema is always right.
 *
 * <p>With credentials (HTTP basic, {@link #withCredentials}: a wgcp service's) {@link #register}
 * registers; without (edge agents, the CLI) it only looks the schema up, since registering needs a
 * writer's credentials: wgcp services register every topic's schema when they start.
 */
public class SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Duration timeout;
    /** The Authorization header's value, or null: no credentials, reads only. */
    private final String authorization;
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10));
    }

    public SchemaRegistryClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** A client that registers schemas as {@code username} (HTTP basic, as Confluent's registry takes it). */
    public static SchemaRegistryClient withCredentials(String baseUrl, String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("schema registry credentials need a username and a password");
        }
        return new SchemaRegistryClient(baseUrl, Duration.ofSeconds(10), "Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private SchemaRegistryClient(String baseUrl, Duration timeout, String authorization) {
        this.authorization = authorization;
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is missing: expected e.g. http://localhost:8081");
        }
        this.baseUri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUri.toString();
    }

    /** Whether this client has credentials, and so registers schemas rather than only looking them up. */
    public boolean registers() {
        return authorization != null;
    }

    /**
     * The id of {@code schema} under {@code subject}: registered when this client has credentials (or
     * found registered already), else looked up; a schema nobody registered yet is then an error
     * that says who registers it.
     */
    public int register(String subject, Schema schema) {
        String key = subject + '\u0000' + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode response;
        if (authorization != null) {
            response = send("POST", "subjects/" + encode(subject) + "/versions", body);
        } else {
            try {
                response = send("POST", "subjects/" + encode(subject), body);
            } catch (SchemaRegistryException e) {
                if (e.status() == 404) {
                    throw new SchemaRegistryException(404, e.errorCode(), "the schema of " + subject + " is not registered yet, and this"
                            + " client only reads (no schema registry credentials); the wgcp services register every topic's schema"
                            + " when they start: start (or upgrade) them first", e);
                }
                throw e;
            }
        }
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(500, 50001, "registry answered without an id: " + response);
        }
        idBySubjectAndSchema.put(key, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    /** Returns the schema with the given global id. */
    public Schema getById(int id) {
        return schemaById.computeIfAbsent(id, i -> {
            JsonNode response = send("GET", "schemas/ids/" + i, null);
            return new Schema.Parser().parse(response.path("schema").asText());
        });
    }

    /** Subjects known to the registry. */
    public List<String> subjects() {
        JsonNode response = send("GET", "subjects", null);
        return JSON.convertValue(response, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Whether {@code schema} may be registered as the next version of {@code subject}. */
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        return send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", body)
                .path("is_compatible").asBoolean(false);
    }

    private JsonNode send(String method, String path, JsonNode body) {
        URI uri = baseUri.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 300) {
                throw new SchemaRegistryException(response.statusCode(), json.path("error_code").asInt(response.statusCode()),
                        method + " " + uri + ": " + json.path("message").asText(response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new SchemaRegistryException(503, 50003, "schema registry at " + baseUri + " unreachable ("
                    + method + " " + path + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(503, 50003, "interrupted while calling the schema registry", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
