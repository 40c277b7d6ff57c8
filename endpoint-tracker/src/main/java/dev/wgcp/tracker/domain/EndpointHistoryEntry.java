package dev.wgcp.tracker.domain;

import java.time.Instant;

/** One endpoint change as recorded (and announced with {@code revision}). */
public record EndpointHistoryEntry(String peerId, String edgeId, String networkId, String oldEndpoint, String newEndpoint,
                                   String kind, Instant observedAt, long revision) {
}
