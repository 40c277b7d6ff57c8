package dev.wgcp.schemas.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {

    private static final String PEERS = "wgcp.peers.v1";
    private static final byte[] VALUE = "a peer record".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static RecordHeaders signed(SigningKey key, String topic, byte[] value) {
        RecordHeaders h = new RecordHeaders();
        RecordSignatures.sign(key, topic, h, value);
        return h;
    }

    @Test
    void aRecordSignedByATrustedKeyPassesAndEveryOtherIsRefusedWithItsReason() {
        SigningKey registry = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        TrustedKeys trust = TrustedKeys.builder().trust(PEERS, List.of(registry.publicKey())).build();

        assertNull(trust.check(PEERS, signed(registry, PEERS, VALUE), VALUE));
        assertEquals(TrustedKeys.Reason.UNSIGNED, trust.check(PEERS, new RecordHeaders(), VALUE).reason());
        assertEquals(TrustedKeys.Reason.UNKNOWN_KEY, trust.check(PEERS, signed(stranger, PEERS, VALUE), VALUE).reason());

        byte[] changed = VALUE.clone();
        changed[0] ^= 1;
        assertEquals(TrustedKeys.Reason.BAD_SIGNATURE, trust.check(PEERS, signed(registry, PEERS, VALUE), changed).reason());
        assertEquals(TrustedKeys.Reason.BAD_SIGNATURE, trust.check(PEERS, signed(registry, "wgcp.addresses.v1", VALUE), VALUE).reason(),
                "a record signed for another topic does not count here");

        RecordHeaders forgedSignature = signed(stranger, PEERS, VALUE);
        forgedSignature.remove(RecordSignatures.KEY_ID_HEADER);
        forgedSignature.add(RecordSignatures.KEY_ID_HEADER, registry.id().getBytes(StandardCharsets.US_ASCII));
        assertEquals(TrustedKeys.Reason.BAD_SIGNATURE, trust.check(PEERS, forgedSignature, VALUE).reason(),
                "claiming the trusted key's id does not make another key's signature good");

        RecordHeaders twice = signed(registry, PEERS, VALUE);
        twice.add(RecordSignatures.SIGNATURE_HEADER, new byte[64]);
        assertEquals(TrustedKeys.Reason.UNSIGNED, trust.check(PEERS, twice, VALUE).reason(), "two signatures are none");

        assertNull(trust.check("wgcp.applied.v1", new RecordHeaders(), VALUE), "topics it does not cover are not its to judge");
    }

    @Test
    void duringARotationBothKeysAreTrusted() {
        SigningKey old = SigningKey.generate();
        SigningKey next = SigningKey.generate();
        TrustedKeys both = TrustedKeys.builder().trust(PEERS, List.of(old.publicKey(), next.publicKey())).build();
        assertNull(both.check(PEERS, signed(old, PEERS, VALUE), VALUE));
        assertNull(both.check(PEERS, signed(next, PEERS, VALUE), VALUE));
        TrustedKeys after = TrustedKeys.builder().trust(PEERS, List.of(next.publicKey())).build();
        assertEquals(TrustedKeys.Reason.UNKNOWN_KEY, after.check(PEERS, signed(old, PEERS, VALUE), VALUE).reason());
    }

    @Test
    void aRetiredKeyVouchesForWhatTheBrokerAppendedBeforeItsRetirementOnly() {
        SigningKey old = SigningKey.generate();
        SigningKey next = SigningKey.generate();
        java.time.Instant retired = java.time.Instant.parse("2026-12-01T00:00:00Z");
        TrustedKeys trust = TrustedKeys.forOwners(List.of(dev.wgcp.schemas.Topics.PEERS), owner -> owner.equals("registry-service")
                ? List.of(next.publicKey().toBase64(), old.publicKey().toBase64() + "@" + retired) : List.of());
        org.apache.kafka.common.record.TimestampType append = org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME;
        long before = retired.toEpochMilli() - 1;
        long after = retired.toEpochMilli();
        assertNull(trust.check(PEERS, signed(old, PEERS, VALUE), VALUE, before, append), "history signed before the retirement");
        assertEquals(TrustedKeys.Reason.RETIRED_KEY, trust.check(PEERS, signed(old, PEERS, VALUE), VALUE, after, append).reason());
        assertEquals(TrustedKeys.Reason.RETIRED_KEY, trust.check(PEERS, signed(old, PEERS, VALUE), VALUE, before,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME).reason(), "a producer's own time could be backdated");
        assertNull(trust.check(PEERS, signed(next, PEERS, VALUE), VALUE, after, append));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedKeys.forOwners(
                List.of(dev.wgcp.schemas.Topics.PEERS), owner -> List.of(old.publicKey().toBase64() + "@yesterday")));
        assertTrue(e.getMessage().contains("wgcp.trust.registry-service") && e.getMessage().contains("expected KEY@"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustedKeys.forOwners(List.of(dev.wgcp.schemas.Topics.ADDRESSES),
                owner -> List.of()));
        assertTrue(e.getMessage().contains("wgcp.trust.ipam-service"), e.getMessage());
    }

    @Test
    void anEdgesReportCountsOnlyUnderThatEdgesRegisteredKey() {
        SigningKey edge0 = SigningKey.generate();
        SigningKey edge1 = SigningKey.generate();
        EdgeKeys edges = new EdgeKeys();
        String topic = "wgcp.observations.v1";
        assertEquals(TrustedKeys.Reason.UNKNOWN_KEY, edges.check("edge-0", topic, signed(edge0, topic, VALUE), VALUE).reason(),
                "no key registered yet");
        edges.edge("edge-0", edge0.publicKey().toBase64(), List.of("home"));
        edges.edge("edge-1", edge1.publicKey().toBase64(), List.of("lab"));
        assertNull(edges.check("edge-0", topic, signed(edge0, topic, VALUE), VALUE));
        TrustedKeys.Refusal other = edges.check("edge-0", topic, signed(edge1, topic, VALUE), VALUE);
        assertEquals(TrustedKeys.Reason.UNKNOWN_KEY, other.reason());
        assertTrue(other.message().contains("another edge speaking for it"), other.message());
        assertEquals(TrustedKeys.Reason.UNSIGNED, edges.check("edge-0", topic, new RecordHeaders(), VALUE).reason());
        byte[] changed = VALUE.clone();
        changed[1] ^= 1;
        assertEquals(TrustedKeys.Reason.BAD_SIGNATURE, edges.check("edge-0", topic, signed(edge0, topic, VALUE), changed).reason());
        assertTrue(edges.serves("edge-0", "home") && !edges.serves("edge-0", "lab") && !edges.serves("edge-9", "home"));
        edges.edge("edge-0", "not a key", List.of("home"));
        assertEquals(TrustedKeys.Reason.UNKNOWN_KEY, edges.check("edge-0", topic, signed(edge0, topic, VALUE), VALUE).reason(),
                "a malformed registered key counts as none");
    }

    @Test
    void aKeyFileRoundTripsIsPrivateAndADamagedOneSaysSo() throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = dir.resolve("registry.key");
        key.writeTo(file);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        SigningKey loaded = SigningKey.fromFile(file);
        assertEquals(key.publicKey(), loaded.publicKey());
        assertNull(TrustedKeys.builder().trust(PEERS, List.of(key.publicKey())).build().check(PEERS, signed(loaded, PEERS, VALUE), VALUE));
        assertTrue(!key.toString().contains(Files.readString(file).strip()), "a key never shows its secret");

        byte[] both = java.util.Base64.getDecoder().decode(Files.readString(file).strip());
        both[40] ^= 1;
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(both) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningKey.fromFile(file));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        Files.writeString(file, "not base64!\n");
        e = assertThrows(IllegalArgumentException.class, () -> SigningKey.fromFile(file));
        assertTrue(e.getMessage().contains("expected one line of base64"), e.getMessage());
    }

    @Test
    void aPublicKeyInTheWrongShapeSaysWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyKey.parse("abc")).getMessage().contains("expected 32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyKey.parse("%%%")).getMessage().contains("base64"));
        VerifyKey k = SigningKey.generate().publicKey();
        assertEquals(k, VerifyKey.parse(k.toBase64()));
        assertEquals(16, k.id().length());
        assertThrows(IllegalArgumentException.class, () -> TrustedKeys.builder().trust(PEERS, List.of()));
    }
}
