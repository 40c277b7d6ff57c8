package dev.wgcp.tracker.domain;

import java.time.Instant;

/** The endpoint of a peer as one edge last saw it. */
public record EndpointState(String peerId, String edgeId, String publicKey, String endpoint, Instant latestHandshakeAt,
                            Instant observedAt, Instant changedAt) {
}
