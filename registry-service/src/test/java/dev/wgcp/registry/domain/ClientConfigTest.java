package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void rendersWgQuickConfigWithOnePeerSectionPerEdge() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        Peer peer = Peer.register(id, "home", PublicKey.parse(PublicKeyTest.VALID), "laptop", null, 25, Instant.EPOCH)
                .assignAddress("10.100.0.2", "fd00::2", 1);
        Network network = new Network("home", List.of("10.100.0.0/24", "fd00::/64"), List.of("10.100.0.1"), 25, List.of(
                new Network.Edge("edge-0", "EDGE0KEY", "vpn0.example.net:51820"),
                new Network.Edge("edge-1", "EDGE1KEY", "198.51.100.7:51820")));

        assertEquals("""
            # wgcp client configuration for peer 00000000-0000-0000-0000-000000000001 (laptop) in network home
            [Interface]
            # PrivateKey = <the private key of AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; it never left your device, add it here>
            Address = 10.100.0.2/32, fd00::2/128
            DNS = 10.100.0.1

            [Peer]
            # edge edge-0
            PublicKey = EDGE0KEY
            Endpoint = vpn0.example.net:51820
            AllowedIPs = 10.100.0.0/24, fd00::/64
            PersistentKeepalive = 25

            [Peer]
            # edge edge-1
            PublicKey = EDGE1KEY
            Endpoint = 198.51.100.7:51820
            AllowedIPs = 10.100.0.0/24, fd00::/64
            PersistentKeepalive = 25
            """, ClientConfig.render(peer, network));
    }

    @Test
    void aPeerInAnEdgesSegmentDialsThatEdgeOnly() {
        Peer peer = Peer.register(UUID.randomUUID(), "home", PublicKey.parse(PublicKeyTest.VALID), "laptop", null, 25, Instant.EPOCH)
                .assignAddress("10.100.1.2", null, "edge-1", 1);
        Network network = new Network("home", List.of("10.100.0.0/16"), List.of(), 25, List.of(
                new Network.Edge("edge-0", "EDGE0KEY", "vpn0.example.net:51820"),
                new Network.Edge("edge-1", "EDGE1KEY", "198.51.100.7:51820")));
        String config = ClientConfig.render(peer, network);
        assertEquals(1, config.split("\\[Peer]").length - 1, config);
        assertEquals(true, config.contains("# edge edge-1\nPublicKey = EDGE1KEY"), config);
        Peer elsewhere = peer.assignAddress("10.100.1.2", null, "edge-gone", 2);
        assertEquals(2, ClientConfig.render(elsewhere, network).split("\\[Peer]").length - 1, "an edge no longer listed: every edge");
    }

    @Test
    void refusesPeerWithoutAddress() {
        Peer peer = Peer.register(UUID.randomUUID(), "home", PublicKey.parse(PublicKeyTest.VALID), null, 0, 25, Instant.EPOCH);
        Refusal e = assertThrows(Refusal.class,
                () -> ClientConfig.render(peer, new Network("home", List.of("10.0.0.0/24"), List.of(), 25, List.of())));
        assertEquals(Refusal.Kind.NOT_READY, e.kind());
    }
}
