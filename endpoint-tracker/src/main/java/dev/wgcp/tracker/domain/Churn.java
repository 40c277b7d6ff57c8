package dev.wgcp.tracker.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Suspicious endpoint churn: more than {@code limit} endpoint changes of one peer within
 * {@code window}. Flagged when a change crosses the limit, then not again until a window has passed
 * since the flag, so a flapping peer raises one alert per window rather than one per change.
 */
public record Churn(int limit, Duration window) {

    public Churn {
        if (limit < 1) {
            throw new IllegalArgumentException("churn limit " + limit + ": expected 1 or more changes");
        }
    }

    /**
     * @param changesInWindow the peer's changes observed within {@code window} before {@code at}, this one included
     * @param lastFlaggedAt   when the peer was last flagged, or null
     */
    public boolean flags(int changesInWindow, Instant lastFlaggedAt, Instant at) {
        return changesInWindow > limit && (lastFlaggedAt == null || !lastFlaggedAt.isAfter(at.minus(window)));
    }
}
