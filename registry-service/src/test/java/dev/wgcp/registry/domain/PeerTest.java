package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PeerTest {

    private static Peer fresh() {
        return Peer.register(UUID.randomUUID(), "home", PublicKey.parse(PublicKeyTest.VALID), "laptop", null, 25, Instant.EPOCH);
    }

    @Test
    void registrationStartsActiveAtRevisionOneWithNetworkKeepalive() {
        Peer p = fresh();
        assertEquals(PeerStatus.ACTIVE, p.status());
        assertEquals(1, p.revision());
        assertEquals(25, p.persistentKeepalive());
        assertEquals(false, p.hasAddress());
    }

    @Test
    void refusesBadNameAndKeepalive() {
        PublicKey key = PublicKey.parse(PublicKeyTest.VALID);
        assertThrows(Refusal.class, () -> Peer.register(UUID.randomUUID(), "home", key, "x".repeat(65), null, 25, Instant.EPOCH));
        assertThrows(Refusal.class, () -> Peer.register(UUID.randomUUID(), "home", key, " ", null, 25, Instant.EPOCH));
        Refusal e = assertThrows(Refusal.class,
                () -> Peer.register(UUID.randomUUID(), "home", key, null, -1, 25, Instant.EPOCH));
        assertTrue(e.getMessage().contains("persistentKeepalive"), e.getMessage());
    }

    @Test
    void revocationIsTerminalAndIdempotent() {
        Peer revoked = fresh().revoke(Instant.ofEpochSecond(5));
        assertEquals(PeerStatus.REVOKED, revoked.status());
        assertEquals(2, revoked.revision());
        assertSame(revoked, revoked.revoke(Instant.ofEpochSecond(9)));
        assertEquals(Instant.ofEpochSecond(5), revoked.revokedAt());
    }

    @Test
    void addressEventsApplyOnceInRevisionOrder() {
        Peer p = fresh().assignAddress("10.0.0.2", null, 1);
        assertEquals("10.0.0.2", p.ipv4Address());
        assertSame(p, p.assignAddress("10.0.0.9", null, 1), "a redelivered event changes nothing");
        assertSame(p, p.assignAddress("10.0.0.9", null, 0), "an older event changes nothing");
    }
}
