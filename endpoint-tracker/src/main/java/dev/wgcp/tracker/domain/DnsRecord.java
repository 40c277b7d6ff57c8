package dev.wgcp.tracker.domain;

import java.time.Instant;
import java.util.List;

/**
 * A DNS name endpoint-tracker keeps: what it should answer ({@code addresses} empty: deleted) as of
 * {@code version}, and what the server accepted last.
 */
public record DnsRecord(String name, String zoneKey, String owner, List<String> addresses, Integer port, Instant version,
                        Instant appliedVersion, int attempts, Instant nextAttemptAt, String lastError, Instant lastAttemptAt,
                        Instant lastSuccessAt) {

    public boolean inSync() {
        return version.equals(appliedVersion);
    }
}
