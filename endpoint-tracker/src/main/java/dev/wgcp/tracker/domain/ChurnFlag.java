package dev.wgcp.tracker.domain;

import java.time.Instant;
import java.util.List;

/** The latest churn flag of a peer. */
public record ChurnFlag(String peerId, String networkId, String edgeId, int changes, long windowSeconds, List<String> endpoints,
                        Instant flaggedAt, int timesFlagged) {
}
