package dev.wgcp.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.EventMetadata;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.RevocationReason;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static EventMetadata meta(long revision) {
        return EventMetadata.newBuilder().setEventId("e").setOccurredAt(Instant.ofEpochMilli(1))
                .setProducer("p").setActor("a").setRevision(revision).build();
    }

    @Test
    void writesMagicByteBigEndianIdThenUnionBranchAndAvroBinary() {
        KeyRevoked revoked = KeyRevoked.newBuilder().setMetadata(meta(3)).setPeerId("i").setNetworkId("n")
                .setPublicKey("k").setReason(RevocationReason.EXPIRED).build();

        byte[] bytes = WireFormat.encode(0x01020304, Topics.PEERS.valueSchema(), revoked);

        byte[] expected = {
            0x00,                   // magic byte
            0x01, 0x02, 0x03, 0x04, // schema id, 4 bytes big-endian
            0x02,                   // union branch 1 (KeyRevoked), zig-zag varint
            0x02, 'e',              // metadata.eventId: length 1, "e"
            0x02,                   // metadata.occurredAt: 1 ms
            0x02, 'p',              // metadata.producer
            0x02, 'a',              // metadata.actor
            0x06,                   // metadata.revision: 3
            0x02, 'i',              // peerId
            0x02, 'n',              // networkId
            0x02, 'k',              // publicKey
            0x04                    // reason: EXPIRED, enum index 2
        };
        assertArrayEquals(expected, bytes);
        assertEquals(0x01020304, WireFormat.schemaId(bytes));
    }

    @Test
    void largeSchemaIdsUseAllFourBytes() {
        AddressAssigned assigned = AddressAssigned.newBuilder().setMetadata(meta(1)).setPeerId("i").setNetworkId("n")
                .setPool("p").setIpv4Address("10.0.0.2").build();
        byte[] bytes = WireFormat.encode(Integer.MAX_VALUE, Topics.ADDRESSES.valueSchema(), assigned);
        assertArrayEquals(new byte[] {0x00, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                java.util.Arrays.copyOf(bytes, 5));
        assertEquals(Integer.MAX_VALUE, WireFormat.schemaId(bytes));
    }

    @Test
    void roundTripsEveryBranchOfTheUnion() {
        PeerRegistered registered = PeerRegistered.newBuilder().setMetadata(meta(1)).setPeerId("p1")
                .setNetworkId("home").setPublicKey("key").setName("laptop").build();
        byte[] bytes = WireFormat.encode(7, Topics.PEERS.valueSchema(), registered);
        Object decoded = WireFormat.decode(bytes, Topics.PEERS.valueSchema(), Topics.PEERS.valueSchema());
        assertEquals(registered, decoded);
        assertEquals(25, ((PeerRegistered) decoded).getPersistentKeepaliveSeconds());
    }

    @Test
    void olderWriterSchemaResolvesToDefaults() {
        // A producer built before "name" and "persistentKeepaliveSeconds" existed.
        Schema oldRegistered = new Schema.Parser().parse("""
            {"type":"record","name":"PeerRegistered","namespace":"dev.wgcp.events.v1","fields":[
              {"name":"metadata","type":%s},
              {"name":"peerId","type":"string"},{"name":"networkId","type":"string"},
              {"name":"publicKey","type":"string"}]}""".formatted(EventMetadata.getClassSchema()));
        Schema oldUnion = Schema.createUnion(oldRegistered);
        org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(oldRegistered);
        org.apache.avro.generic.GenericRecord oldMeta = new org.apache.avro.generic.GenericData.Record(EventMetadata.getClassSchema());
        oldMeta.put("eventId", "e");
        oldMeta.put("occurredAt", 5L);
        oldMeta.put("producer", "p");
        oldMeta.put("actor", "a");
        oldMeta.put("revision", 1L);
        old.put("metadata", oldMeta);
        old.put("peerId", "p1");
        old.put("networkId", "home");
        old.put("publicKey", "key");
        byte[] bytes = encodeGeneric(oldUnion, old);

        PeerRegistered decoded = (PeerRegistered) WireFormat.decode(bytes, oldUnion, Topics.PEERS.valueSchema());
        assertEquals("p1", decoded.getPeerId());
        assertNull(decoded.getName());
        assertEquals(25, decoded.getPersistentKeepaliveSeconds());
    }

    @Test
    void rejectsWrongMagicByteWithWhatWasExpected() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> WireFormat.schemaId(new byte[] {'{', '"', 'a', '"', ':'}));
        assertTrue(e.getMessage().contains("expected magic byte 0x00"), e.getMessage());
        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
    }

    @Test
    void rejectsTooShortRecords() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> WireFormat.schemaId(new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("at least 5 bytes"), e.getMessage());
    }

    @Test
    void rejectsTruncatedBody() {
        PeerRegistered registered = PeerRegistered.newBuilder().setMetadata(meta(1)).setPeerId("p1")
                .setNetworkId("home").setPublicKey("key").build();
        byte[] bytes = WireFormat.encode(7, Topics.PEERS.valueSchema(), registered);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(MalformedRecordException.class,
                () -> WireFormat.decode(truncated, Topics.PEERS.valueSchema(), Topics.PEERS.valueSchema()));
    }

    private static byte[] encodeGeneric(Schema schema, Object value) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(new byte[] {0, 0, 0, 0, 9});
            org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
            new org.apache.avro.generic.GenericDatumWriter<>(schema).write(value, enc);
            enc.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
