package dev.wgcp.tracker.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PresenceAndChurnTest {

    private static final Duration WINDOW = Duration.ofSeconds(180);
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aFreshHandshakeBringsANeverSeenOrStalePeerOnline() {
        assertEquals(Presence.ONLINE, Presence.NEVER.afterHandshake(NOW.minusSeconds(5), NOW, WINDOW));
        assertEquals(Presence.ONLINE, Presence.STALE.afterHandshake(NOW.minusSeconds(180), NOW, WINDOW));
        assertEquals(Presence.ONLINE, Presence.ONLINE.afterHandshake(NOW, NOW, WINDOW));
    }

    @Test
    void anOldHandshakeReportedLateDoesNotMakeAPeerOnline() {
        assertEquals(Presence.NEVER, Presence.NEVER.afterHandshake(NOW.minusSeconds(181), NOW, WINDOW));
        assertEquals(Presence.STALE, Presence.STALE.afterHandshake(NOW.minusSeconds(600), NOW, WINDOW));
        assertEquals(Presence.NEVER, Presence.NEVER.afterHandshake(null, NOW, WINDOW));
    }

    @Test
    void onlyOnlinePeersGoStaleAndOnlyAfterTheWindow() {
        assertFalse(Presence.ONLINE.goesStale(NOW.minusSeconds(180), NOW, WINDOW));
        assertTrue(Presence.ONLINE.goesStale(NOW.minusSeconds(181), NOW, WINDOW));
        assertFalse(Presence.STALE.goesStale(NOW.minusSeconds(999), NOW, WINDOW));
        assertFalse(Presence.NEVER.goesStale(null, NOW, WINDOW));
    }

    @Test
    void churnIsMoreThanTheLimitWithinTheWindowAndFlaggedOncePerWindow() {
        Churn churn = new Churn(3, Duration.ofMinutes(10));
        assertFalse(churn.flags(3, null, NOW));
        assertTrue(churn.flags(4, null, NOW));
        assertFalse(churn.flags(5, NOW.minusSeconds(60), NOW), "flagged a minute ago: not again within the window");
        assertTrue(churn.flags(5, NOW.minus(Duration.ofMinutes(10)), NOW), "a window after the flag: again");
        assertThrows(IllegalArgumentException.class, () -> new Churn(0, Duration.ofMinutes(1)));
    }

    @Test
    void observationsWithRevokedOrForeignKeysAreNotAccepted() {
        KnownPeer active = new KnownPeer("p", "home", "laptop", "NEW", "OLD", KnownPeer.Status.ACTIVE, 3, Presence.NEVER, null, null);
        assertEquals(KnownPeer.KeyVerdict.ACCEPTED, active.judge("NEW", false));
        assertEquals(KnownPeer.KeyVerdict.ACCEPTED, active.judge("OLD", false), "the old key during a rotation's overlap");
        assertEquals(KnownPeer.KeyVerdict.REVOKED, active.judge("OLD", true));
        assertEquals(KnownPeer.KeyVerdict.KEY_MISMATCH, active.judge("OTHER", false));
        KnownPeer revoked = new KnownPeer("p", "home", "laptop", "NEW", null, KnownPeer.Status.REVOKED, 4, Presence.ONLINE, NOW, "e");
        assertEquals(KnownPeer.KeyVerdict.REVOKED, revoked.judge("NEW", false), "revocation is terminal");
    }
}
