package dev.wgcp.tracker.domain;

import java.time.Instant;

/** What one edge saw of one peer at one moment. */
public record Observation(String peerId, String edgeId, String publicKey, String endpoint, Instant latestHandshakeAt,
                          Instant observedAt) {
}
