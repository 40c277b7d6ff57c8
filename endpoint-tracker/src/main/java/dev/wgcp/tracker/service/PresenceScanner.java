package dev.wgcp.tracker.service;

import dev.wgcp.events.v1.PeerWentStale;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import dev.wgcp.tracker.config.TrackerSettings;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Presence;
import dev.wgcp.tracker.persistence.EndpointStore;
import dev.wgcp.tracker.persistence.PeerStore;
import dev.wgcp.tracker.persistence.PendingObservationStore;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds online peers whose latest handshake left the online window (nobody reports a handshake that
 * did not happen, so going stale is noticed by the clock, not by an event), announces PeerWentStale,
 * refreshes the presence gauges, and trims history and held observations.
 */
@Singleton
public class PresenceScanner {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceScanner.class);
    private static final int BATCH = 500;

    private final PeerStore peers;
    private final EndpointStore endpoints;
    private final PendingObservationStore pending;
    private final Outbox outbox;
    private final TrackerMetrics metrics;
    private final TrackerSettings settings;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final EventMetadataFactory metadata;
    private volatile Instant lastHousekeeping = Instant.EPOCH;

    public PresenceScanner(PeerStore peers, EndpointStore endpoints, PendingObservationStore pending, Outbox outbox,
                           TrackerMetrics metrics, TrackerSettings settings, TransactionOperations<Connection> tx, Clock clock) {
        this.peers = peers;
        this.endpoints = endpoints;
        this.pending = pending;
        this.outbox = outbox;
        this.metrics = metrics;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
        this.metadata = new EventMetadataFactory("endpoint-tracker", clock);
    }

    @Scheduled(fixedDelay = "${wgcp.tracker.presence-check-interval:5s}", initialDelay = "1s")
    void scheduled() {
        try {
            scan();
            housekeeping();
        } catch (RuntimeException e) {
            LOG.warn("presence check failed, tried again in {}: {}", settings.getPresenceCheckInterval(), e.getMessage());
        }
    }

    /** One pass: returns how many peers went stale. */
    public int scan() {
        int total = 0;
        int batch;
        do {
            batch = tx.executeWrite(status -> staleBatch());
            total += batch;
        } while (batch == BATCH);
        Instant now = clock.instant();
        metrics.presence(tx.executeRead(status -> endpoints.presenceByEdge(now.minus(settings.getOnlineWindow()))));
        return total;
    }

    private int staleBatch() {
        Instant now = clock.instant();
        List<KnownPeer> gone = peers.onlineWithHandshakeBefore(now.minus(settings.getOnlineWindow()), BATCH);
        for (KnownPeer p : gone) {
            if (!p.presence().goesStale(p.latestHandshakeAt(), now, settings.getOnlineWindow())) {
                continue;
            }
            peers.updatePresence(p.peerId(), Presence.STALE, p.latestHandshakeAt(), p.latestEdgeId(), now);
            String lastEndpoint = endpoints.forPeer(p.peerId()).stream().filter(s -> s.edgeId().equals(p.latestEdgeId()))
                    .map(EndpointState::endpoint).findFirst().orElse(null);
            outbox.append(Topics.ENDPOINTS, p.peerId(), PeerWentStale.newBuilder()
                    .setMetadata(metadata.create("endpoint-tracker", endpoints.nextRevision(p.peerId())))
                    .setPeerId(p.peerId())
                    .setNetworkId(p.networkId())
                    .setPublicKey(p.publicKey())
                    .setEdgeId(p.latestEdgeId())
                    .setLastEndpoint(lastEndpoint)
                    .setLatestHandshakeAt(p.latestHandshakeAt())
                    .setStaleAfterSeconds(settings.getOnlineWindow().toSeconds())
                    .build());
            metrics.presenceChanged(p.networkId(), Presence.STALE.name());
            LOG.info("peer {} ({}) stale: no handshake since {} (last on {} from {})", p.peerId(), p.networkId(),
                    p.latestHandshakeAt(), p.latestEdgeId(), lastEndpoint);
        }
        return gone.size();
    }

    /** At most once a minute: history past its retention and observations held too long go. */
    void housekeeping() {
        Instant now = clock.instant();
        if (now.isBefore(lastHousekeeping.plusSeconds(60))) {
            return;
        }
        lastHousekeeping = now;
        int history = tx.executeWrite(s -> endpoints.deleteHistoryBefore(now.minus(settings.getHistoryRetention())));
        int held = tx.executeWrite(s -> pending.expire(now.minus(settings.getPendingFor())));
        if (history > 0) {
            LOG.info("deleted {} endpoint changes older than {} (wgcp.tracker.history-retention)", history, settings.getHistoryRetention());
        }
        if (held > 0) {
            LOG.warn("dropped {} observations of peers whose registration never arrived within {} (wgcp.tracker.pending-for):"
                    + " edges reporting peers the registry does not know", held, settings.getPendingFor());
            metrics.observationsDropped(held);
        }
    }
}
