package dev.wgcp.registry.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.kafka.KafkaAccess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade or a rollback leaves outbox rows written by another build than the one that
 * relays them. The relay sends such rows as they were written, under their writer's schema, so
 * consumers resolve them; an old row this build cannot read is parked, and never blocks the rows
 * behind it (before, the relay decoded every row with its own classes and re-sent its batch for ever).
 */
class OutboxUpgradeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SharedInfra infra;
    private static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        infra = SharedInfra.get();
        Map<String, Object> props = infra.serviceProperties(KafkaAccess.REGISTRY, "registry_outbox_it");
        props.put("wgcp.registry.bootstrap-token-file", Files.createTempDirectory("wgcp-outbox-it").resolve("admin.token").toString());
        props.put("wgcp.outbox.poll-interval", "200ms");
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    @Test
    void rowsOfANewerBuildGoOutAsWrittenAndAnUnreadableOldRowIsParkedWithoutBlockingTheRest() throws Exception {
        // What a newer build writes: PeerRegistered with a field this build does not have, under its own schema id.
        ArrayNode union = (ArrayNode) JSON.readTree(Topics.PEERS.valueSchema().toString());
        for (JsonNode type : union) {
            if (type.path("name").asText().endsWith("PeerRegistered")) {
                ((ArrayNode) type.path("fields")).add(JSON.readTree("{\"name\":\"comment\",\"type\":\"string\",\"default\":\"\"}"));
            }
        }
        Schema newer = new Schema.Parser().parse(union.toString());
        int newerId = server.getApplicationContext().getBean(SchemaRegistryClient.class).register(Topics.PEERS.valueSubject(), newer);

        String unreadable = UUID.randomUUID().toString();
        String fromNewer = UUID.randomUUID().toString();
        String fromOlder = UUID.randomUUID().toString();
        DataSource db = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                server.getApplicationContext().getBean(DataSource.class));
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            // An old row (no schema id) whose bytes this build's PeerRegistered cannot read.
            insert(c, unreadable, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, null);
            insert(c, fromNewer, wire(newerId, newer, withComment(registered(fromNewer), newer)), newerId);
            // An old row this build can read: bare Avro of the class, as the outbox stored events before.
            insert(c, fromOlder, bareAvro(registered(fromOlder)), null);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<SpecificRecord> newerEvents = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, fromNewer);
            assertEquals(1, newerEvents.size(), "the newer build's row was sent behind the parked one");
            assertEquals(fromNewer, assertInstanceOf(PeerRegistered.class, newerEvents.get(0)).getPeerId(),
                    "and this build's consumers read it under its writer's schema");
            List<SpecificRecord> olderEvents = TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, fromOlder);
            assertEquals(1, olderEvents.size(), "the old readable row was sent");
        });
        assertEquals(List.of(), TopicReader.events(infra.admin(), infra.schemaRegistryUrl(), Topics.PEERS, unreadable));
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT parked_reason FROM outbox WHERE message_key = ?")) {
            q.setString(1, unreadable);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), "the unreadable row is kept");
                assertTrue(rs.getString(1).contains("cannot read it") && rs.getString(1).contains("relay it with the build that wrote it"),
                        rs.getString(1));
                assertTrue(!rs.next());
            }
        }
        MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(1.0, meters.get("wgcp.outbox.parked").gauge().value()));
    }

    private static PeerRegistered registered(String peerId) {
        return PeerRegistered.newBuilder().setMetadata(new EventMetadataFactory("registry-service", Clock.systemUTC()).create("test", 1))
                .setPeerId(peerId).setNetworkId("outbox-test").setPublicKey("k-" + peerId).build();
    }

    private static void insert(Connection c, String key, byte[] payload, Integer schemaId) throws Exception {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO outbox (topic, message_key, event_type, payload, schema_id) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, Topics.PEERS.name());
            s.setString(2, key);
            s.setString(3, PeerRegistered.class.getName());
            s.setBytes(4, payload);
            s.setObject(5, schemaId, java.sql.Types.INTEGER);
            s.executeUpdate();
        }
    }

    /** {@code event} as a record of the newer union, with its extra field set. */
    private static GenericRecord withComment(PeerRegistered event, Schema newerUnion) throws Exception {
        byte[] current = bareUnion(event);
        GenericRecord record = (GenericRecord) new GenericDatumReader<>(Topics.PEERS.valueSchema(), newerUnion)
                .read(null, DecoderFactory.get().binaryDecoder(current, null));
        record.put("comment", "written by the next release");
        return record;
    }

    private static byte[] bareUnion(PeerRegistered event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<Object>(Topics.PEERS.valueSchema()).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] bareAvro(PeerRegistered event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<PeerRegistered>(PeerRegistered.getClassSchema()).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The Confluent wire format, written with a generic writer (this build has no class for the newer schema). */
    private static byte[] wire(int schemaId, Schema writer, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<Object>(writer, GenericData.get()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
