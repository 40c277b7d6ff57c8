package dev.wgcp.registry.service;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes keys whose lifetime ended, and keys rotated away from whose overlap ended, every {@code
 * wgcp.registry.expiry-check-interval} (10 s): a key is refused by every edge at most that long plus
 * the usual revocation latency after it expires.
 */
@Singleton
public class PeerExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(PeerExpiry.class);
    private static final int BATCH = 500;

    private final PeerService peers;

    public PeerExpiry(PeerService peers) {
        this.peers = peers;
    }

    @Scheduled(fixedDelay = "${wgcp.registry.expiry-check-interval:10s}", initialDelay = "${wgcp.registry.expiry-check-interval:10s}")
    void revokeExpired() {
        try {
            int revoked;
            do {
                revoked = peers.revokeExpired(BATCH);
            } while (revoked == BATCH);
            do {
                revoked = peers.revokeRetiredKeys(BATCH);
            } while (revoked == BATCH);
        } catch (RuntimeException e) {
            // The next check tries again; nothing is lost, the peers stay marked with their expiry.
            LOG.warn("revoking expired keys failed, retrying at the next check: {}", e.getMessage());
        }
    }
}
