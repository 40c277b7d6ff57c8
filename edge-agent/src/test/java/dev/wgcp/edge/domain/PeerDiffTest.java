package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeerDiffTest {

    static final DesiredPeer A = new DesiredPeer("A", List.of("10.0.0.2/32"), 25);
    static final LivePeer A_LIVE = new LivePeer("A", "192.0.2.9:4000", List.of("10.0.0.2/32"), 100, 1, 2, 25);
    static final LivePeer A_WRONG_IPS = new LivePeer("A", null, List.of("10.0.0.3/32"), 0, 0, 0, 25);
    static final LivePeer A_NO_KEEPALIVE = new LivePeer("A", null, List.of("10.0.0.2/32"), 0, 0, 0, 0);
    static final LivePeer X_LIVE = new LivePeer("X", null, List.of("10.0.0.66/32"), 0, 0, 0, 0);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing to do", Map.of("A", A), Map.of("A", A_LIVE), true, Set.of(), List.of()),
                Arguments.of("missing peer is added", Map.of("A", A), Map.of(), true, Set.of(),
                        List.of(new PeerChange.Upsert(A, "missing"))),
                Arguments.of("wrong allowed-ips repaired", Map.of("A", A), Map.of("A", A_WRONG_IPS), true, Set.of(),
                        List.of(new PeerChange.Upsert(A, "allowed-ips [10.0.0.3/32] should be [10.0.0.2/32]"))),
                Arguments.of("keepalive repaired", Map.of("A", A), Map.of("A", A_NO_KEEPALIVE), true, Set.of(),
                        List.of(new PeerChange.Upsert(A, "keepalive 0 should be 25"))),
                Arguments.of("unknown peer removed when exclusive", Map.of(), Map.of("X", X_LIVE), true, Set.of(),
                        List.of(new PeerChange.Remove("X", "not in the registry (unknown peer on an exclusive interface)"))),
                Arguments.of("unknown peer kept when shared", Map.of(), Map.of("X", X_LIVE), false, Set.of(), List.of()),
                Arguments.of("revoked key removed even when shared", Map.of(), Map.of("X", X_LIVE), false, Set.of("X"),
                        List.of(new PeerChange.Remove("X", "key revoked"))),
                Arguments.of("removals come first", Map.of("A", A), Map.of("X", X_LIVE), true, Set.of("X"),
                        List.of(new PeerChange.Remove("X", "key revoked"), new PeerChange.Upsert(A, "missing"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diff(String name, Map<String, DesiredPeer> desired, Map<String, LivePeer> live, boolean exclusive,
              Set<String> revoked, List<PeerChange> expected) {
        assertEquals(expected, PeerDiff.diff(desired, live, exclusive, revoked));
    }

    @org.junit.jupiter.api.Test
    void aKeyTheTopicsNamedIsRemovedAsGoneNotAsUnknownOnAnyInterface() {
        // X was a peer's key before its rotation (the agent was down when the rotation came): not an unknown peer.
        for (boolean exclusive : new boolean[] {true, false}) {
            assertEquals(List.of(new PeerChange.Remove("X", "no longer in this network")),
                    PeerDiff.diff(Map.of(), Map.of("X", X_LIVE), exclusive, Set.of(), "X"::equals));
        }
        assertEquals(List.of(new PeerChange.Remove("X", PeerDiff.UNKNOWN_PEER)),
                PeerDiff.diff(Map.of(), Map.of("X", X_LIVE), true, Set.of(), "Y"::equals));
    }

    @org.junit.jupiter.api.Test
    void diffChangedLooksOnlyAtTheChangedKeys() {
        Map<String, java.util.Optional<DesiredPeer>> changed = new java.util.HashMap<>();
        changed.put("A", java.util.Optional.of(A));
        changed.put("X", java.util.Optional.empty());
        changed.put("GONE", java.util.Optional.empty());
        assertEquals(List.of(new PeerChange.Remove("X", "key revoked"), new PeerChange.Upsert(A, "missing")),
                PeerDiff.diffChanged(changed, Map.of("X", X_LIVE), Set.of("X")));
        assertEquals(List.of(), PeerDiff.diffChanged(Map.of("A", java.util.Optional.of(A)), Map.of("A", A_LIVE), Set.of()));
    }
}
