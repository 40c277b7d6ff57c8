package dev.wgcp.tracker.domain;

import java.time.Instant;

/**
 * A peer as the registry announced it, with the presence endpoint-tracker derived for it.
 *
 * @param previousKey the old key while a rotation's overlap lasts (the edges still carry it), else null
 */
public record KnownPeer(String peerId, String networkId, String name, String publicKey, String previousKey, Status status,
                        long registryRevision, Presence presence, Instant latestHandshakeAt, String latestEdgeId) {

    /** ACTIVE, or terminal: REVOKED (its key) or REMOVED (deleted). */
    public enum Status { ACTIVE, REVOKED, REMOVED }

    /** What an observation made with a key says about this peer. */
    public enum KeyVerdict {
        /** The peer's key (or its old key during a rotation's overlap). */
        ACCEPTED,
        /** A revoked key, or a peer that is revoked or deleted: the observation is ignored and counted. */
        REVOKED,
        /** A key that was never this peer's: a wrong mapping on an edge, or someone else's key. */
        KEY_MISMATCH
    }

    public KeyVerdict judge(String key, boolean keyRevoked) {
        if (keyRevoked || status != Status.ACTIVE) {
            return KeyVerdict.REVOKED;
        }
        return key.equals(publicKey) || key.equals(previousKey) ? KeyVerdict.ACCEPTED : KeyVerdict.KEY_MISMATCH;
    }
}
