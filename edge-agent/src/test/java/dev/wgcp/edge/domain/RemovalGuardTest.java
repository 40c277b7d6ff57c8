package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemovalGuardTest {

    private static final RemovalGuard GUARD = new RemovalGuard(0.5, 10);

    private static Map<String, LivePeer> live(int n) {
        Map<String, LivePeer> live = new HashMap<>();
        for (int i = 0; i < n; i++) {
            live.put("K" + i, new LivePeer("K" + i, null, List.of("10.0.0." + (i + 2) + "/32"), 0, 0, 0, 25));
        }
        return live;
    }

    private static Map<String, DesiredPeer> desired(int n) {
        Map<String, DesiredPeer> desired = new HashMap<>();
        for (int i = 0; i < n; i++) {
            desired.put("K" + i, new DesiredPeer("K" + i, List.of("10.0.0." + (i + 2) + "/32"), 25));
        }
        return desired;
    }

    @Test
    void anEmptyDesiredStateRemovesNothingFromAnInterfaceWithManyPeers() {
        Map<String, LivePeer> live = live(20);
        List<PeerChange> changes = PeerDiff.diff(Map.of(), live, true, Set.of());
        assertEquals(20, changes.size());

        RemovalGuard.Verdict verdict = GUARD.judge(changes, live.size());
        assertTrue(verdict.refused());
        assertEquals(List.of(), verdict.apply());
        assertEquals(20, verdict.withheld().size());
    }

    @Test
    void revokedKeysLeaveAndNewPeersComeEvenWhenTheUnknownOnesAreWithheld() {
        Map<String, LivePeer> live = live(20);
        Map<String, DesiredPeer> desired = new HashMap<>();
        desired.put("NEW", new DesiredPeer("NEW", List.of("10.0.1.2/32"), 25));
        List<PeerChange> changes = PeerDiff.diff(desired, live, true, Set.of("K3", "K4"));

        RemovalGuard.Verdict verdict = GUARD.judge(changes, live.size());
        assertTrue(verdict.refused());
        assertEquals(18, verdict.withheld().size());
        assertEquals(Set.of("K3", "K4", "NEW"), verdict.apply().stream().map(PeerChange::publicKey).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aBelievableShareOfUnknownPeersIsRemoved() {
        Map<String, LivePeer> live = live(20);
        List<PeerChange> changes = PeerDiff.diff(desired(10), live, true, Set.of()); // 10 of 20 unknown: exactly the share
        RemovalGuard.Verdict verdict = GUARD.judge(changes, live.size());
        assertFalse(verdict.refused());
        assertEquals(10, verdict.apply().size());

        List<PeerChange> more = PeerDiff.diff(desired(9), live, true, Set.of()); // 11 of 20: too many
        assertTrue(GUARD.judge(more, live.size()).refused());
    }

    @Test
    void smallInterfacesAndTheSwitchedOffGuardAreNotGuarded() {
        Map<String, LivePeer> live = live(9);
        List<PeerChange> changes = PeerDiff.diff(Map.of(), live, true, Set.of());
        assertFalse(GUARD.judge(changes, live.size()).refused(), "fewer live peers than the minimum");
        assertFalse(RemovalGuard.OFF.judge(PeerDiff.diff(Map.of(), live(100), true, Set.of()), 100).refused());
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedWithWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RemovalGuard(1.5, 10));
        assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
    }
}
