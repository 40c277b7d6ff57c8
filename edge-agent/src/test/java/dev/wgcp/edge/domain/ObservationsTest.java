package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservationsTest {

    private static LivePeer peer(String endpoint, long handshake, long rx) {
        return new LivePeer("K", endpoint, List.of("10.0.0.2/32"), handshake, rx, rx, 25);
    }

    @Test
    void reportsOnlyEndpointAndHandshakeChanges() {
        assertEquals(List.of(), Observations.changed(Map.of(), Map.of("K", peer(null, 0, 0))), "never talked");
        assertEquals(1, Observations.changed(Map.of(), Map.of("K", peer("192.0.2.2:4000", 100, 1))).size(), "first contact");
        Map<String, LivePeer> reported = Map.of("K", peer("192.0.2.2:4000", 100, 1));
        assertEquals(List.of(), Observations.changed(reported, Map.of("K", peer("192.0.2.2:4000", 100, 999))), "traffic alone");
        assertEquals(1, Observations.changed(reported, Map.of("K", peer("192.0.2.2:4001", 100, 1))).size(), "endpoint");
        assertEquals(1, Observations.changed(reported, Map.of("K", peer("192.0.2.2:4000", 220, 1))).size(), "handshake");
    }
}
