package dev.wgcp.tracker.service;

import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.EdgeChanged;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Presence;
import dev.wgcp.tracker.persistence.EdgeStore;
import dev.wgcp.tracker.persistence.EndpointStore;
import dev.wgcp.tracker.persistence.PeerStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the registry's peers (which keys are whose, which are revoked, names for DNS) and edges
 * (their endpoints and the addresses their agents report). Idempotent: a registry event at or below
 * the peer's applied revision changes nothing.
 */
@Singleton
public class PeerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    private final PeerStore peers;
    private final EndpointStore endpoints;
    private final EdgeStore edges;
    private final EndpointService endpointService;
    private final DdnsService ddns;
    private final Clock clock;

    public PeerDirectory(PeerStore peers, EndpointStore endpoints, EdgeStore edges, EndpointService endpointService, DdnsService ddns,
                         Clock clock) {
        this.peers = peers;
        this.endpoints = endpoints;
        this.edges = edges;
        this.endpointService = endpointService;
        this.ddns = ddns;
        this.clock = clock;
    }

    @Transactional
    public void registered(PeerRegistered e) {
        KnownPeer peer = new KnownPeer(e.getPeerId(), e.getNetworkId(), e.getName(), e.getPublicKey(), null, KnownPeer.Status.ACTIVE,
                e.getMetadata().getRevision(), Presence.NEVER, null, null);
        if (peers.insert(peer)) {
            endpointService.released(peer);
        }
    }

    @Transactional
    public void rotated(KeyRotated e) {
        current(e.getPeerId(), e.getMetadata().getRevision()).ifPresent(p -> peers.updateIdentity(new KnownPeer(p.peerId(), p.networkId(),
                p.name(), e.getNewPublicKey(), e.getOldPublicKey(), p.status(), e.getMetadata().getRevision(), p.presence(),
                p.latestHandshakeAt(), p.latestEdgeId())));
    }

    @Transactional
    public void revoked(KeyRevoked e) {
        peers.revokeKey(e.getPublicKey(), e.getPeerId(), e.getReason().name());
        current(e.getPeerId(), e.getMetadata().getRevision()).ifPresent(p -> {
            if (e.getPublicKey().equals(p.previousKey())) {
                peers.updateIdentity(withStatus(p, p.status(), null, e.getMetadata().getRevision()));
            } else if (e.getPublicKey().equals(p.publicKey())) {
                peers.updateIdentity(withStatus(p, KnownPeer.Status.REVOKED, p.previousKey(), e.getMetadata().getRevision()));
                ddns.peerGone(p.peerId(), clock.instant());
                LOG.info("peer {} revoked ({}): its observations are ignored from now on", p.peerId(), e.getReason());
            } else {
                peers.updateIdentity(withStatus(p, p.status(), p.previousKey(), e.getMetadata().getRevision()));
            }
        });
    }

    @Transactional
    public void updated(PeerUpdated e) {
        current(e.getPeerId(), e.getMetadata().getRevision()).ifPresent(p -> {
            KnownPeer renamed = new KnownPeer(p.peerId(), p.networkId(), e.getName(), p.publicKey(), p.previousKey(), p.status(),
                    e.getMetadata().getRevision(), p.presence(), p.latestHandshakeAt(), p.latestEdgeId());
            peers.updateIdentity(renamed);
            if (!Objects.equals(ddns.nameOf(p), ddns.nameOf(renamed)) && p.status() == KnownPeer.Status.ACTIVE) {
                ddns.peerGone(p.peerId(), clock.instant());
                latestEndpoint(p.peerId()).ifPresent(s -> ddns.peerEndpoint(renamed, s.endpoint(), s.observedAt(), clock.instant()));
            }
        });
    }

    @Transactional
    public void removed(PeerRemoved e) {
        peers.revokeKey(e.getPublicKey(), e.getPeerId(), "PEER_DELETED");
        current(e.getPeerId(), e.getMetadata().getRevision()).ifPresent(p -> {
            peers.updateIdentity(withStatus(p, KnownPeer.Status.REMOVED, null, e.getMetadata().getRevision()));
            ddns.peerGone(p.peerId(), clock.instant());
        });
    }

    @Transactional
    public void edgeChanged(EdgeChanged e) {
        Optional<EdgeStore.Edge> before = edges.findForUpdate(e.getEdgeId());
        edges.saveIdentity(new EdgeStore.Identity(e.getEdgeId(), e.getSigningKey(), List.copyOf(e.getNetworks())));
        if (before.isPresent() && Objects.equals(before.get().endpoint(), e.getEndpoint())) {
            return;
        }
        EdgeStore.Edge after = new EdgeStore.Edge(e.getEdgeId(), e.getEndpoint(), before.map(EdgeStore.Edge::addresses).orElse(List.of()),
                before.map(EdgeStore.Edge::addressesSeenAt).orElse(null));
        edges.save(after);
        ddns.edge(before, after, clock.instant());
    }

    @Transactional
    public void edgeAddress(EdgeAddressObserved e) {
        Optional<EdgeStore.Edge> before = edges.findForUpdate(e.getEdgeId());
        if (before.isPresent() && before.get().addressesSeenAt() != null && !e.getObservedAt().isAfter(before.get().addressesSeenAt())) {
            return; // a duplicate or older report
        }
        EdgeStore.Edge after = new EdgeStore.Edge(e.getEdgeId(), before.map(EdgeStore.Edge::endpoint).orElse(null),
                List.copyOf(e.getAddresses()), e.getObservedAt());
        edges.save(after);
        if (before.isEmpty() || !before.get().addresses().equals(after.addresses())) {
            LOG.info("edge {} reports public addresses {} ({})", e.getEdgeId(), after.addresses(), e.getSource());
        }
        ddns.edge(before, after, clock.instant());
    }

    /** The peer, when known and the event is newer than what was applied. */
    private Optional<KnownPeer> current(String peerId, long revision) {
        return peers.findForUpdate(peerId).filter(p -> revision > p.registryRevision());
    }

    private Optional<EndpointState> latestEndpoint(String peerId) {
        return endpoints.forPeer(peerId).stream().max(Comparator.comparing(EndpointState::observedAt));
    }

    private static KnownPeer withStatus(KnownPeer p, KnownPeer.Status status, String previousKey, long revision) {
        return new KnownPeer(p.peerId(), p.networkId(), p.name(), p.publicKey(), previousKey, status, revision, p.presence(),
                p.latestHandshakeAt(), p.latestEdgeId());
    }
}
