package dev.wgcp.tracker.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a peer is online: its latest handshake with any edge is within the online window
 * (WireGuard's RejectAfterTime, 180 s: after that no session key is valid any more, so a peer that
 * still wanted to talk would have made a new handshake). NEVER until the first handshake.
 */
public enum Presence {
    NEVER, ONLINE, STALE;

    /** Whether a handshake at {@code handshakeAt} makes a peer online at {@code now}. */
    public static boolean fresh(Instant handshakeAt, Instant now, Duration window) {
        return handshakeAt != null && !handshakeAt.isBefore(now.minus(window));
    }

    /**
     * What a newly observed handshake does to a peer in this state: ONLINE when it is fresh and the
     * peer was not online (a transition to announce), else this state.
     */
    public Presence afterHandshake(Instant handshakeAt, Instant now, Duration window) {
        return this != ONLINE && fresh(handshakeAt, now, window) ? ONLINE : this;
    }

    /** Whether an online peer whose latest handshake was at {@code latest} has gone stale at {@code now}. */
    public boolean goesStale(Instant latest, Instant now, Duration window) {
        return this == ONLINE && !fresh(latest, now, window);
    }
}
