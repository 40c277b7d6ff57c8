package dev.wgcp.tracker.service;

import dev.wgcp.events.v1.EndpointChangeKind;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import dev.wgcp.tracker.domain.EndpointChange;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.Observation;
import dev.wgcp.tracker.persistence.EndpointStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns observations into stored endpoint state and one EndpointChanged per real change. */
@Singleton
public class EndpointService {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointService.class);

    private final EndpointStore store;
    private final Outbox outbox;
    private final EventMetadataFactory metadata = new EventMetadataFactory("endpoint-tracker", Clock.systemUTC());

    public EndpointService(EndpointStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    @Transactional
    public Optional<EndpointChangeKind> observed(HandshakeObserved e) {
        Observation o = new Observation(e.getPeerId(), e.getEdgeId(), e.getPublicKey(), e.getEndpoint(),
                e.getLatestHandshakeAt(), e.getObservedAt());
        Optional<EndpointState> current = store.findForUpdate(o.peerId(), o.edgeId());
        Optional<EndpointChange> change;
        try {
            change = EndpointChange.of(current, o);
        } catch (IllegalArgumentException bad) {
            LOG.warn("observation {} of peer {} from {} ignored: {}", e.getMetadata().getEventId(), o.peerId(), o.edgeId(), bad.getMessage());
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
        long revision = store.nextRevision(o.peerId());
        outbox.append(Topics.ENDPOINTS, o.peerId(), EndpointChanged.newBuilder()
                .setMetadata(metadata.create("endpoint-tracker", revision))
                .setPeerId(o.peerId())
                .setPublicKey(o.publicKey())
                .setEdgeId(o.edgeId())
                .setOldEndpoint(c.oldEndpoint())
                .setNewEndpoint(c.next().endpoint())
                .setObservedAt(o.observedAt())
                .setKind(c.kind().get())
                .build());
        LOG.info("peer {} on {}: {} {} -> {} (observation {})", o.peerId(), o.edgeId(), c.kind().get(),
                c.oldEndpoint(), c.next().endpoint(), e.getMetadata().getEventId());
        return c.kind();
    }

    @Transactional(readOnly = true)
    public List<EndpointState> endpoints(String peerId) {
        return store.forPeer(peerId);
    }
}
