package dev.wgcp.tracker.service;

import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.PeerCameOnline;
import dev.wgcp.events.v1.SuspiciousEndpointChurn;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import dev.wgcp.tracker.config.TrackerSettings;
import dev.wgcp.tracker.domain.Churn;
import dev.wgcp.tracker.domain.ChurnFlag;
import dev.wgcp.tracker.domain.EndpointChange;
import dev.wgcp.tracker.domain.EndpointHistoryEntry;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Observation;
import dev.wgcp.tracker.domain.Presence;
import dev.wgcp.tracker.persistence.ChurnStore;
import dev.wgcp.tracker.persistence.EndpointStore;
import dev.wgcp.tracker.persistence.PeerStore;
import dev.wgcp.tracker.persistence.PendingObservationStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the edges' observations into stored endpoint state and events: one EndpointChanged per real
 * change, PeerCameOnline when a peer's handshake makes it online, SuspiciousEndpointChurn when its
 * endpoint changes too often. Observations made with a revoked key, or a key that is not the peer's,
 * change nothing and are counted.
 */
@Singleton
public class EndpointService {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointService.class);
    private static final String ACTOR = "endpoint-tracker";

    private final EndpointStore store;
    private final PeerStore peers;
    private final PendingObservationStore pending;
    private final ChurnStore churnFlags;
    private final DdnsService ddns;
    private final Outbox outbox;
    private final TrackerMetrics metrics;
    private final TrackerSettings settings;
    private final Clock clock;
    private final EventMetadataFactory metadata;
    private final dev.wgcp.schemas.signing.EdgeKeys edges;

    public EndpointService(EndpointStore store, PeerStore peers, PendingObservationStore pending, ChurnStore churnFlags, DdnsService ddns,
                           Outbox outbox, TrackerMetrics metrics, TrackerSettings settings, Clock clock, EdgeReports edgeReports) {
        this.edges = edgeReports.keys();
        this.store = store;
        this.peers = peers;
        this.pending = pending;
        this.churnFlags = churnFlags;
        this.ddns = ddns;
        this.outbox = outbox;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.metadata = new EventMetadataFactory(ACTOR, clock);
    }

    @Transactional
    public Optional<EndpointChangeKind> observed(HandshakeObserved e) {
        Observation o = new Observation(e.getPeerId(), e.getEdgeId(), e.getPublicKey(), e.getEndpoint(),
                e.getLatestHandshakeAt(), e.getObservedAt());
        Optional<KnownPeer> peer = peers.findForUpdate(o.peerId());
        if (peer.isEmpty()) {
            pending.hold(o, clock.instant());
            metrics.observationHeld();
            LOG.debug("observation of peer {} from {} held until its registration arrives", o.peerId(), o.edgeId());
            return Optional.empty();
        }
        return judgeAndApply(peer.get(), o);
    }

    /** Applies the observations held for a peer whose registration just arrived. */
    @Transactional
    public void released(KnownPeer peer) {
        for (Observation o : pending.release(peer.peerId())) {
            KnownPeer now = peers.findForUpdate(peer.peerId()).orElseThrow();
            judgeAndApply(now, o);
        }
    }

    private Optional<EndpointChangeKind> judgeAndApply(KnownPeer peer, Observation o) {
        if (!edges.serves(o.edgeId(), peer.networkId())) {
            metrics.observationIgnored("edge_network");
            LOG.warn("edge {} reports peer {} of network {}, which it does not serve: observation ignored", o.edgeId(), o.peerId(),
                    peer.networkId());
            return Optional.empty();
        }
        KnownPeer.KeyVerdict verdict = peer.judge(o.publicKey(), peers.isRevokedKey(o.publicKey()));
        if (verdict != KnownPeer.KeyVerdict.ACCEPTED) {
            metrics.observationIgnored(verdict.name().toLowerCase(java.util.Locale.ROOT));
            if (verdict == KnownPeer.KeyVerdict.KEY_MISMATCH) {
                LOG.warn("edge {} reports peer {} with a key that is not the peer's: observation ignored (a stale mapping on the"
                        + " edge, or a key used under another peer's id)", o.edgeId(), o.peerId());
            } else {
                LOG.info("edge {} reports peer {} with a revoked key: observation ignored (the edge should have removed it)",
                        o.edgeId(), o.peerId());
            }
            return Optional.empty();
        }
        Optional<EndpointChangeKind> kind = endpoint(peer, o);
        presence(peer, o);
        return kind;
    }

    private Optional<EndpointChangeKind> endpoint(KnownPeer peer, Observation o) {
        Optional<EndpointState> current = store.findForUpdate(o.peerId(), o.edgeId());
        Optional<EndpointChange> change;
        try {
            change = EndpointChange.of(current, o);
        } catch (IllegalArgumentException bad) {
            metrics.observationIgnored("malformed_endpoint");
            LOG.warn("observation of peer {} from {} ignored: {}", o.peerId(), o.edgeId(), bad.getMessage());
            return Optional.empty();
        }
        if (change.isEmpty()) {
            return Optional.empty();
        }
        EndpointChange c = change.get();
        store.upsert(c.next());
        if (c.kind().isEmpty()) {
            return Optional.empty();
        }
        EndpointChangeKind kind = c.kind().get();
        long revision = store.nextRevision(o.peerId());
        outbox.append(Topics.ENDPOINTS, o.peerId(), EndpointChanged.newBuilder()
                .setMetadata(metadata.create(ACTOR, revision))
                .setPeerId(o.peerId())
                .setPublicKey(o.publicKey())
                .setEdgeId(o.edgeId())
                .setNetworkId(peer.networkId())
                .setOldEndpoint(c.oldEndpoint())
                .setNewEndpoint(c.next().endpoint())
                .setObservedAt(o.observedAt())
                .setKind(kind)
                .build());
        store.recordChange(new EndpointHistoryEntry(o.peerId(), o.edgeId(), peer.networkId(), c.oldEndpoint(), c.next().endpoint(),
                kind.name(), o.observedAt(), revision));
        metrics.endpointChanged(peer.networkId(), o.edgeId(), kind.name());
        LOG.info("peer {} on {}: {} {} -> {}", o.peerId(), o.edgeId(), kind, c.oldEndpoint(), c.next().endpoint());
        ddns.peerEndpoint(peer, c.next().endpoint(), o.observedAt(), clock.instant());
        if (kind != EndpointChangeKind.FIRST_SEEN) {
            churn(peer, o);
        }
        return Optional.of(kind);
    }

    private void churn(KnownPeer peer, Observation o) {
        Churn churn = new Churn(settings.getChurnMaxChanges(), settings.getChurnWindow());
        List<String> changes = store.changedEndpointsSince(o.peerId(), o.observedAt().minus(settings.getChurnWindow()));
        Instant lastFlag = churnFlags.find(o.peerId()).map(ChurnFlag::flaggedAt).orElse(null);
        if (!churn.flags(changes.size(), lastFlag, o.observedAt())) {
            return;
        }
        List<String> endpoints = List.copyOf(new LinkedHashSet<>(changes));
        churnFlags.flag(new ChurnFlag(o.peerId(), peer.networkId(), o.edgeId(), changes.size(), settings.getChurnWindow().toSeconds(),
                endpoints, o.observedAt(), 1));
        outbox.append(Topics.ENDPOINTS, o.peerId(), SuspiciousEndpointChurn.newBuilder()
                .setMetadata(metadata.create(ACTOR, store.nextRevision(o.peerId())))
                .setPeerId(o.peerId())
                .setNetworkId(peer.networkId())
                .setPublicKey(o.publicKey())
                .setEdgeId(o.edgeId())
                .setChanges(changes.size())
                .setLimit(settings.getChurnMaxChanges())
                .setWindowSeconds(settings.getChurnWindow().toSeconds())
                .setEndpoints(endpoints)
                .setObservedAt(o.observedAt())
                .build());
        metrics.churnFlagged(peer.networkId(), o.edgeId());
        LOG.warn("peer {} ({}): {} endpoint changes within {} (limit {}), from {} endpoints: suspicious churn", o.peerId(),
                peer.networkId(), changes.size(), settings.getChurnWindow(), settings.getChurnMaxChanges(), endpoints.size());
    }

    private void presence(KnownPeer peer, Observation o) {
        Instant handshake = o.latestHandshakeAt();
        if (handshake == null || (peer.latestHandshakeAt() != null && !handshake.isAfter(peer.latestHandshakeAt()))) {
            return;
        }
        Instant now = clock.instant();
        Presence next = peer.presence().afterHandshake(handshake, now, settings.getOnlineWindow());
        boolean cameOnline = next != peer.presence();
        peers.updatePresence(peer.peerId(), next, handshake, o.edgeId(), cameOnline ? now : null);
        if (cameOnline) {
            outbox.append(Topics.ENDPOINTS, peer.peerId(), PeerCameOnline.newBuilder()
                    .setMetadata(metadata.create(ACTOR, store.nextRevision(peer.peerId())))
                    .setPeerId(peer.peerId())
                    .setNetworkId(peer.networkId())
                    .setPublicKey(o.publicKey())
                    .setEdgeId(o.edgeId())
                    .setEndpoint(o.endpoint())
                    .setLatestHandshakeAt(handshake)
                    .setFirstTime(peer.presence() == Presence.NEVER)
                    .build());
            metrics.presenceChanged(peer.networkId(), Presence.ONLINE.name());
            LOG.info("peer {} ({}) online: handshake with {} at {}", peer.peerId(), peer.networkId(), o.edgeId(), handshake);
        }
    }
}
