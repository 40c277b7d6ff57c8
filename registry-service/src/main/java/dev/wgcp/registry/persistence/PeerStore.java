package dev.wgcp.registry.persistence;

import dev.wgcp.registry.domain.Peer;
import dev.wgcp.registry.domain.PeerStatus;
import dev.wgcp.registry.domain.PublicKey;
import dev.wgcp.registry.domain.RevokeReason;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Maps domain peers to rows. */
@Singleton
public class PeerStore {

    private final PeerRepository repository;

    public PeerStore(PeerRepository repository) {
        this.repository = repository;
    }

    public void insert(Peer peer) {
        repository.save(toRow(peer));
    }

    public void update(Peer peer) {
        repository.update(toRow(peer));
    }

    public Optional<Peer> find(UUID id) {
        return repository.findById(id).map(PeerStore::toPeer);
    }

    public Optional<Peer> findForUpdate(UUID id) {
        return repository.findByIdForUpdate(id).map(PeerStore::toPeer);
    }

    /** Up to {@code limit} active peers whose lifetime has ended, locked; rows another instance holds are skipped. */
    public List<UUID> lockExpired(java.time.Instant now, int limit) {
        return repository.lockExpired(now, limit);
    }

    public Optional<Peer> findByPublicKey(PublicKey key) {
        return repository.findByPublicKey(key.base64()).map(PeerStore::toPeer);
    }

    public List<Peer> list(String network, PeerStatus status, String tag, String name, int limit, long offset) {
        return repository.list(network, status == null ? null : status.name(), tag, name, limit, offset).stream()
                .map(PeerStore::toPeer).toList();
    }

    static PeerRow toRow(Peer p) {
        return new PeerRow(p.id(), p.networkId(), p.publicKey().base64(), p.name(), p.persistentKeepalive(),
                p.status().name(), p.ipv4Address(), p.ipv6Address(), p.revision(), p.addressRevision(),
                p.createdAt(), p.revokedAt(), p.tags().toArray(String[]::new), p.expiresAt(),
                p.revokeReason() == null ? null : p.revokeReason().name(), p.addressError(), p.edgeId(), p.endpoint());
    }

    static Peer toPeer(PeerRow r) {
        return new Peer(r.id(), r.networkId(), new PublicKey(r.publicKey()), r.name(), r.persistentKeepalive(),
                PeerStatus.valueOf(r.status()), r.ipv4Address(), r.ipv6Address(), r.revision(), r.addressRevision(),
                r.createdAt(), r.revokedAt(), r.tags() == null ? List.of() : List.of(r.tags()), r.expiresAt(),
                r.revokeReason() == null ? null : RevokeReason.valueOf(r.revokeReason()), r.addressError(), r.edgeId(), r.endpoint());
    }
}
