package dev.wgcp.registry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgcp.events.v1.EventMetadata;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.MalformedRecordException;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.SchemaRegistryException;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over real HTTP, with the project's client and serde as the caller. */
class SchemaRegistryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema V1 = new Schema.Parser().parse("""
        {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"}]}""");
    private static final Schema V2_WITH_DEFAULT = new Schema.Parser().parse("""
        {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
         {"name":"b","type":"int","default":1}]}""");
    private static final Schema V2_NO_DEFAULT = new Schema.Parser().parse("""
        {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
         {"name":"c","type":"int"}]}""");

    private static final SchemaRegistryServer.Writers WRITER = SchemaRegistryServer.Writers.of("writer", "s3cret:with-colon");

    @TempDir
    Path dir;
    private SchemaRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws Exception {
        server = SchemaRegistryServer.start("127.0.0.1", 0, dir, WRITER);
        client = writer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersOnceAndServesById() {
        int id = client.register("things-value", V1);
        assertEquals(id, writer().register("things-value", V1));
        assertEquals(V1, new SchemaRegistryClient(server.url()).getById(id));
        assertEquals(List.of("things-value"), client.subjects());
        // Same schema under another subject keeps its global id.
        assertEquals(id, client.register("other-value", V1));
    }

    @Test
    void versionsAndLatestUseConfluentShapes() throws Exception {
        int id1 = client.register("things-value", V1);
        int id2 = client.register("things-value", V2_WITH_DEFAULT);
        assertNotEquals(id1, id2);
        assertEquals("[1,2]", get("/subjects/things-value/versions").body());
        JsonNode latest = JSON.readTree(get("/subjects/things-value/versions/latest").body());
        assertEquals("things-value", latest.path("subject").asText());
        assertEquals(2, latest.path("version").asInt());
        assertEquals(id2, latest.path("id").asInt());
        assertEquals(V2_WITH_DEFAULT, new Schema.Parser().parse(latest.path("schema").asText()));
        assertEquals(id1, JSON.readTree(get("/subjects/things-value/versions/1").body()).path("id").asInt());
    }

    @Test
    void refusesIncompatibleSchemaWith409UnderBackward() {
        client.register("things-value", V1);
        assertFalse(client.isCompatibleWithLatest("things-value", V2_NO_DEFAULT));
        assertTrue(client.isCompatibleWithLatest("things-value", V2_WITH_DEFAULT));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("things-value", V2_NO_DEFAULT));
        assertEquals(409, e.status());
        assertEquals(409, e.errorCode());
        assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
    }

    @Test
    void configCanBeReadAndChanged() throws Exception {
        assertEquals("BACKWARD", JSON.readTree(get("/config").body()).path("compatibilityLevel").asText());
        HttpResponse<String> put = send("PUT", "/config/things-value", "{\"compatibility\":\"NONE\"}");
        assertEquals(200, put.statusCode());
        assertEquals("NONE", JSON.readTree(put.body()).path("compatibility").asText());
        client.register("things-value", V1);
        client.register("things-value", V2_NO_DEFAULT);
        HttpResponse<String> bad = send("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
        assertEquals(422, bad.statusCode());
        assertEquals(42203, JSON.readTree(bad.body()).path("error_code").asInt());
    }

    @Test
    void errorsCarryConfluentCodes() throws Exception {
        assertEquals(40401, JSON.readTree(get("/subjects/nope-value/versions").body()).path("error_code").asInt());
        assertEquals(40403, JSON.readTree(get("/schemas/ids/999").body()).path("error_code").asInt());
        client.register("things-value", V1);
        assertEquals(40402, JSON.readTree(get("/subjects/things-value/versions/7").body()).path("error_code").asInt());
        assertEquals(42202, JSON.readTree(get("/subjects/things-value/versions/x").body()).path("error_code").asInt());
        HttpResponse<String> invalid = send("POST", "/subjects/things-value/versions", "{\"schema\":\"{not avro\"}");
        assertEquals(422, invalid.statusCode());
        assertEquals(42201, JSON.readTree(invalid.body()).path("error_code").asInt());
    }

    @Test
    void schemasSurviveARestart() throws Exception {
        int id1 = client.register("things-value", V1);
        int id2 = client.register("things-value", V2_WITH_DEFAULT);
        server.close();
        server = SchemaRegistryServer.start("127.0.0.1", 0, dir, WRITER);
        SchemaRegistryClient fresh = writer();
        assertEquals(V1, fresh.getById(id1));
        assertEquals(id2, fresh.register("things-value", V2_WITH_DEFAULT));
        assertEquals(id2 + 1, fresh.register("things-value", new Schema.Parser().parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int","default":1},{"name":"d","type":"int","default":2}]}""")));
    }

    @Test
    void serdeRoundTripsEventsThroughTheRegistry() {
        EventSerializer serializer = new EventSerializer();
        serializer.configure(java.util.Map.of("schema.registry.url", server.url(), "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "writer:s3cret:with-colon"), false);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.configure(java.util.Map.of("schema.registry.url", server.url()), false);
        EventMetadata meta = EventMetadata.newBuilder().setEventId("e1").setOccurredAt(Instant.ofEpochMilli(42))
                .setProducer("test").setActor("me").setRevision(2).build();
        KeyRevoked revoked = KeyRevoked.newBuilder().setMetadata(meta).setPeerId("p").setNetworkId("n").setPublicKey("k").build();

        byte[] bytes = serializer.serialize(Topics.PEERS.name(), revoked);
        assertEquals(0, bytes[0]);
        int id = WireFormat.schemaId(bytes);
        assertEquals(Topics.PEERS.valueSchema(), client.getById(id));
        SpecificRecord back = deserializer.deserialize(Topics.PEERS.name(), bytes);
        assertEquals(revoked, back);

        assertThrows(org.apache.kafka.common.errors.SerializationException.class,
                () -> serializer.serialize(Topics.ADDRESSES.name(), revoked));
        byte[] unknownId = bytes.clone();
        unknownId[4] = 99;
        dev.wgcp.schemas.UnknownSchemaException unknown = assertThrows(dev.wgcp.schemas.UnknownSchemaException.class,
                () -> deserializer.deserialize(Topics.PEERS.name(), unknownId));
        assertEquals(WireFormat.schemaId(unknownId), unknown.schemaId());
        assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize(Topics.PEERS.name(), "{\"json\":true}".getBytes()));
    }

    @Test
    void readsAreOpenAndWritesNeedAWritersCredentials() throws Exception {
        int id = client.register("things-value", V1);
        for (String[] write : new String[][] {{"POST", "/subjects/things-value/versions"}, {"PUT", "/config"}, {"PUT", "/config/things-value"},
                {"DELETE", "/subjects/things-value"}}) {
            String body = write[0].equals("PUT") ? "{\"compatibility\":\"NONE\"}" : "{\"schema\":" + JSON.writeValueAsString(V2_NO_DEFAULT.toString()) + "}";
            for (String credentials : new String[] {null, "Basic " + basic("writer:wrong"), "Basic " + basic("intruder:s3cret:with-colon"),
                    "Bearer x", "Basic %%%"}) {
                HttpResponse<String> refused = sendAs(credentials, write[0], write[1], body);
                assertEquals(401, refused.statusCode(), write[0] + " " + write[1] + " with " + credentials);
                assertEquals(40101, JSON.readTree(refused.body()).path("error_code").asInt());
                assertTrue(refused.body().contains("need the HTTP basic credentials of a schema writer"), refused.body());
                assertEquals("Basic realm=\"wgcp-schema-registry\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            }
        }
        assertEquals("[1]", get("/subjects/things-value/versions").body(), "nothing was registered");
        assertEquals("BACKWARD", JSON.readTree(get("/config").body()).path("compatibilityLevel").asText(), "nor changed");

        // Reads, the look-up and the compatibility check are open; a client without credentials looks ids up.
        SchemaRegistryClient reader = new SchemaRegistryClient(server.url());
        assertFalse(reader.registers());
        assertEquals(id, reader.register("things-value", V1));
        assertEquals(V1, reader.getById(id));
        assertTrue(reader.isCompatibleWithLatest("things-value", V2_WITH_DEFAULT));
        SchemaRegistryException notThere = assertThrows(SchemaRegistryException.class, () -> reader.register("things-value", V2_WITH_DEFAULT));
        assertEquals(404, notThere.status());
        assertTrue(notThere.getMessage().contains("not registered yet") && notThere.getMessage().contains("register every topic's schema"),
                notThere.getMessage());
        assertEquals(200, sendAs("Basic " + basic("writer:s3cret:with-colon"), "POST", "/subjects/things-value/versions",
                "{\"schema\":" + JSON.writeValueAsString(V2_WITH_DEFAULT.toString()) + "}").statusCode());
    }

    private static String basic(String userInfo) {
        return java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private SchemaRegistryClient writer() {
        return SchemaRegistryClient.withCredentials(server.url(), "writer", "s3cret:with-colon");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** As the writer. */
    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return sendAs("Basic " + basic("writer:s3cret:with-colon"), method, path, body);
    }

    private HttpResponse<String> sendAs(String authorization, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
