package dev.wgcp.tracker.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.EndpointChangeKind;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointChangeTest {

    private static Observation at(long second, String endpoint) {
        return new Observation("p", "edge-0", "K", endpoint, Instant.ofEpochSecond(second), Instant.ofEpochSecond(second));
    }

    private static EndpointState state(long second, String endpoint) {
        return new EndpointState("p", "edge-0", "K", endpoint, Instant.ofEpochSecond(second), Instant.ofEpochSecond(second),
                Instant.ofEpochSecond(second));
    }

    @Test
    void firstEndpointIsFirstSeen() {
        EndpointChange c = EndpointChange.of(Optional.empty(), at(10, "198.51.100.7:41000")).orElseThrow();
        assertEquals(Optional.of(EndpointChangeKind.FIRST_SEEN), c.kind());
        assertEquals("198.51.100.7:41000", c.next().endpoint());
        assertEquals(null, c.oldEndpoint());
    }

    @Test
    void newAddressIsARoamAndNewPortANatRebind() {
        Optional<EndpointState> now = Optional.of(state(10, "198.51.100.7:41000"));
        assertEquals(Optional.of(EndpointChangeKind.ROAMED), EndpointChange.of(now, at(20, "203.0.113.9:41000")).orElseThrow().kind());
        assertEquals(Optional.of(EndpointChangeKind.NAT_REBIND), EndpointChange.of(now, at(20, "198.51.100.7:52000")).orElseThrow().kind());
    }

    @Test
    void sameEndpointLaterOnlyMovesTheClock() {
        EndpointChange c = EndpointChange.of(Optional.of(state(10, "198.51.100.7:41000")), at(20, "198.51.100.7:41000")).orElseThrow();
        assertTrue(c.kind().isEmpty());
        assertEquals(Instant.ofEpochSecond(20), c.next().observedAt());
        assertEquals(Instant.ofEpochSecond(10), c.next().changedAt());
    }

    @Test
    void duplicatesAndOlderObservationsChangeNothing() {
        Optional<EndpointState> now = Optional.of(state(20, "198.51.100.7:41000"));
        assertEquals(Optional.empty(), EndpointChange.of(now, at(20, "203.0.113.9:41000")));
        assertEquals(Optional.empty(), EndpointChange.of(now, at(15, "203.0.113.9:41000")));
    }

    @Test
    void noEndpointYetIsNoObservation() {
        assertEquals(Optional.empty(), EndpointChange.of(Optional.empty(), at(10, null)));
    }

    @Test
    void ipv6EndpointsKeepTheirBrackets() {
        EndpointChange c = EndpointChange.of(Optional.of(state(10, "[2001:db8::1]:41000")), at(20, "[2001:db8::1]:41001")).orElseThrow();
        assertEquals(Optional.of(EndpointChangeKind.NAT_REBIND), c.kind());
        assertEquals("[2001:db8::1]:41001", c.next().endpoint());
    }

    @Test
    void malformedEndpointsAreRefusedWithWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("198.51.100.7")).getMessage().contains("host:port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("2001:db8::1:5")).getMessage().contains("brackets"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:70000"));
    }
}
