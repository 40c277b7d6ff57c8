package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"vpn.example.net:51820", "203.0.113.7:51820", "[2001:db8::7]:51820", "edge-1:1"})
    void endpointsThatClientsCanDial(String endpoint) {
        assertEquals(endpoint, NetworkSpec.endpoint(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpn.example.net", "vpn.example.net:0", "vpn.example.net:65536", "[zz::1]:51820", "a b:1", ":51820", "2001:db8::7:51820"})
    void endpointsThatAreRefused(String endpoint) {
        assertThrows(Refusal.class, () -> NetworkSpec.endpoint(endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.256/24", "10.0.0.0", "fd00::/129", "example.com/24", "abc/8"})
    void routesThatAreRefused(String route) {
        assertThrows(Refusal.class, () -> NetworkSpec.routes(List.of(route)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "fd00:100::/64", "::/0"})
    void routesThatAreAccepted(String route) {
        assertEquals(List.of(route), NetworkSpec.routes(List.of(route)));
    }
}
