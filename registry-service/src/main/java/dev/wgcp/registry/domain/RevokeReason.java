package dev.wgcp.registry.domain;

/** Why a peer's key was revoked; the KeyRevoked event carries the same. */
public enum RevokeReason {
    /** An operator revoked it. */
    OPERATOR,
    /** Its lifetime ended. */
    EXPIRED,
    /** It was replaced by a new key. */
    ROTATED,
    /** The peer was deleted. */
    PEER_DELETED
}
