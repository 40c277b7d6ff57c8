package dev.wgcp.registry.service;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.events.v1.RevocationReason;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.registry.service.Networks;
import dev.wgcp.registry.domain.Network;
import dev.wgcp.registry.domain.Peer;
import dev.wgcp.registry.domain.PeerStatus;
import dev.wgcp.registry.domain.PublicKey;
import dev.wgcp.registry.domain.RevokeReason;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.persistence.KeyStore;
import dev.wgcp.registry.persistence.PeerStore;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registration, revocation and address bookkeeping; every change goes out through the outbox. */
@Singleton
public class PeerService {

    private static final Logger LOG = LoggerFactory.getLogger(PeerService.class);

    private final PeerStore store;
    private final Networks networks;
    private final Outbox outbox;
    private final AddressWaiters waiters;
    private final TransactionOperations<Connection> tx;
    private final EventMetadataFactory metadata;
    private final KeyStore keys;
    private final java.time.Duration rotationOverlap;
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final Clock clock = Clock.systemUTC();

    /** A registration or rotation, with the peer's new peer token: shown to the caller this once. */
    public record WithPeerToken(Peer peer, String peerToken) {
    }

    public PeerService(PeerStore store, Networks networks, Outbox outbox, AddressWaiters waiters,
                       TransactionOperations<Connection> tx, KeyStore keys,
                       @io.micronaut.context.annotation.Value("${wgcp.registry.rotation-overlap:5m}") java.time.Duration rotationOverlap) {
        this.store = store;
        this.networks = networks;
        this.outbox = outbox;
        this.waiters = waiters;
        this.tx = tx;
        this.keys = keys;
        this.rotationOverlap = rotationOverlap;
        this.metadata = new EventMetadataFactory("registry-service", clock);
    }

    /** @param lifetime how long the key may be used (null: until revoked); the registry revokes it when it ends */
    @Transactional
    public Peer register(UUID id, String networkId, String publicKey, String name, Integer keepalive, List<String> tags,
                         java.time.Duration lifetime, String edge, String endpoint, String actor) {
        Network network = networks.get(networkId);
        PublicKey key = PublicKey.parse(publicKey);
        if (edge != null && network.edges().stream().noneMatch(e -> e.id().equals(edge))) {
            throw Refusal.invalid("network " + network.name() + " has no edge '" + edge + "': expected one of "
                    + network.edges().stream().map(Network.Edge::id).toList() + ", or no edge to let ipam-service choose");
        }
        Peer peer = Peer.register(id, network.name(), key, name, keepalive, network.persistentKeepalive(), Instant.now(clock), tags,
                lifetime).onEdge(edge).atEndpoint(endpoint);
        requireUnused(key);
        store.insert(peer);
        outbox.append(Topics.PEERS, peer.id().toString(), PeerRegistered.newBuilder()
                .setMetadata(metadata.create(actor, peer.revision()))
                .setPeerId(peer.id().toString())
                .setNetworkId(peer.networkId())
                .setPublicKey(peer.publicKey().base64())
                .setName(peer.name())
                .setPersistentKeepaliveSeconds(peer.persistentKeepalive())
                .setTags(peer.tags())
                .setEdgeId(edge)
                .setEndpoint(peer.endpoint())
                .build());
        LOG.info("peer {} registered in network {} by {}", peer.id(), peer.networkId(), actor);
        return peer;
    }

    /** Refuses a key that a peer holds, held, or rotated away from: keys are never reused. */
    private void requireUnused(PublicKey key) {
        Optional<Peer> existing = store.findByPublicKey(key);
        if (existing.isPresent()) {
            throw duplicate(key, existing.get());
        }
        Optional<UUID> retiredBy = keys.retiredBy(key.base64());
        if (retiredBy.isPresent()) {
            throw Refusal.conflict("public key " + key + " was peer " + retiredBy.get() + "'s key before it rotated "
                    + "to a new one; a retired key can never be used again: generate a new key pair with 'wg genkey | wg pubkey'");
        }
    }

    /** Registers like {@link #register} and gives the peer a peer token, with which the device may rotate its key. */
    @Transactional
    public WithPeerToken registerWithPeerToken(UUID id, String networkId, String publicKey, String name, Integer keepalive,
                                               List<String> tags, java.time.Duration lifetime, String edge, String endpoint,
                                               String actor) {
        Peer peer = register(id, networkId, publicKey, name, keepalive, tags, lifetime, edge, endpoint, actor);
        return new WithPeerToken(peer, issuePeerToken(id));
    }

    private String issuePeerToken(UUID id) {
        String secret = dev.wgcp.registry.domain.TokenSecret.PEER.generate(random);
        keys.setPeerTokenHash(id, dev.wgcp.registry.domain.TokenSecret.hash(secret));
        return secret;
    }

    /** Whether {@code secret} is the peer token of peer {@code id}. */
    @Transactional(readOnly = true)
    public boolean isPeerToken(UUID id, String secret) {
        if (!dev.wgcp.registry.domain.TokenSecret.PEER.wellFormed(secret)) {
            return false;
        }
        String hash = dev.wgcp.registry.domain.TokenSecret.hash(secret);
        return keys.peerTokenHash(id).map(h -> java.security.MessageDigest.isEqual(
                h.getBytes(java.nio.charset.StandardCharsets.US_ASCII), hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).orElse(false);
    }

    /**
     * Replaces the peer's key: same id, same addresses, a new peer token. The old key is retired (it can
     * never be used again) and revoked when the overlap ends; emits KeyRotated now and KeyRevoked then.
     */
    @Transactional
    public WithPeerToken rotate(UUID id, String newPublicKey, String actor) {
        Peer peer = store.findForUpdate(id).orElseThrow(() -> notFound(id));
        PublicKey key = PublicKey.parse(newPublicKey);
        Peer rotated = peer.rotate(key);
        requireUnused(key);
        Instant now = Instant.now(clock);
        Instant revokeAt = now.plus(rotationOverlap);
        keys.retire(peer.publicKey().base64(), id, now, revokeAt);
        store.update(rotated);
        outbox.append(Topics.PEERS, id.toString(), dev.wgcp.events.v1.KeyRotated.newBuilder()
                .setMetadata(metadata.create(actor, rotated.revision()))
                .setPeerId(id.toString())
                .setNetworkId(rotated.networkId())
                .setOldPublicKey(peer.publicKey().base64())
                .setNewPublicKey(key.base64())
                .setOldKeyRevokedAt(revokeAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .build());
        LOG.info("peer {} rotated its key by {}; the old key is revoked at {}", id, actor, revokeAt);
        return new WithPeerToken(rotated, issuePeerToken(id));
    }

    /** Revokes up to {@code limit} retired keys whose overlap ended (KeyRevoked, reason ROTATED). The number revoked. */
    @Transactional
    public int revokeRetiredKeys(int limit) {
        Instant now = Instant.now(clock);
        List<KeyStore.RetiredKey> due = keys.lockDue(now, limit);
        for (KeyStore.RetiredKey k : due) {
            Peer peer = store.findForUpdate(k.peerId()).orElseThrow(() -> notFound(k.peerId()));
            Peer next = peer.nextRevision();
            store.update(next);
            keys.markRevoked(k.publicKey(), now);
            outbox.append(Topics.PEERS, peer.id().toString(), KeyRevoked.newBuilder()
                    .setMetadata(metadata.create("registry-service", next.revision()))
                    .setPeerId(peer.id().toString())
                    .setNetworkId(peer.networkId())
                    .setPublicKey(k.publicKey())
                    .setReason(RevocationReason.ROTATED)
                    .build());
            LOG.info("peer {}'s retired key revoked (rotation overlap ended)", peer.id());
        }
        return due.size();
    }

    static Refusal duplicate(PublicKey key, Peer holder) {
        if (holder.isRevoked()) {
            return Refusal.conflict("public key " + key + " was revoked (peer " + holder.id()
                    + ") and can never be registered again; generate a new key pair with 'wg genkey | wg pubkey'");
        }
        return Refusal.conflict("public key " + key + " is already registered as peer " + holder.id()
                + "; each device needs its own key pair");
    }

    /** Changes name, tags or keepalive (null: unchanged) and emits PeerUpdated; nothing changed, nothing emitted. */
    @Transactional
    public Peer update(UUID id, String name, List<String> tags, Integer keepalive, String endpoint, String actor) {
        Peer peer = store.findForUpdate(id).orElseThrow(() -> notFound(id));
        Peer updated = peer.update(name, tags, keepalive, endpoint);
        if (updated == peer) {
            return peer;
        }
        store.update(updated);
        outbox.append(Topics.PEERS, id.toString(), PeerUpdated.newBuilder()
                .setMetadata(metadata.create(actor, updated.revision()))
                .setPeerId(id.toString())
                .setNetworkId(updated.networkId())
                .setName(updated.name())
                .setPersistentKeepaliveSeconds(updated.persistentKeepalive())
                .setTags(updated.tags())
                .setEndpoint(updated.endpoint())
                .build());
        LOG.info("peer {} updated by {}", id, actor);
        return updated;
    }

    @Transactional
    public Peer revoke(UUID id, String actor) {
        return revoke(id, actor, RevokeReason.OPERATOR);
    }

    /**
     * Deletes a peer: revokes its key first if it is active (KeyRevoked, reason PEER_DELETED), then
     * marks it deleted and emits PeerRemoved, on which ipam-service releases its addresses. The row
     * stays: its key remains terminal and the audit trail keeps its subject. Idempotent.
     */
    @Transactional
    public Peer delete(UUID id, String actor) {
        Peer peer = store.findForUpdate(id).orElseThrow(() -> notFound(id));
        if (peer.status() == dev.wgcp.registry.domain.PeerStatus.DELETED) {
            return peer;
        }
        if (!peer.isRevoked()) {
            peer = revoke(id, actor, RevokeReason.PEER_DELETED);
        }
        Peer deleted = peer.delete();
        store.update(deleted);
        outbox.append(Topics.PEERS, id.toString(), dev.wgcp.events.v1.PeerRemoved.newBuilder()
                .setMetadata(metadata.create(actor, deleted.revision()))
                .setPeerId(id.toString())
                .setNetworkId(deleted.networkId())
                .setPublicKey(deleted.publicKey().base64())
                .setIpv4Address(deleted.ipv4Address())
                .setIpv6Address(deleted.ipv6Address())
                .build());
        LOG.info("peer {} deleted by {}; its addresses are released", id, actor);
        return deleted;
    }

    /**
     * Revokes the keys of up to {@code limit} peers whose lifetime has ended (reason EXPIRED); rows
     * another registry instance is revoking are skipped. The number revoked.
     */
    @Transactional
    public int revokeExpired(int limit) {
        List<UUID> expired = store.lockExpired(Instant.now(clock), limit);
        for (UUID id : expired) {
            Peer revoked = revoke(id, "registry-service", RevokeReason.EXPIRED);
            LOG.info("peer {} expired at {}: its key is revoked", id, revoked.expiresAt());
        }
        return expired.size();
    }

    @Transactional
    public Peer revoke(UUID id, String actor, RevokeReason reason) {
        Peer peer = store.findForUpdate(id).orElseThrow(() -> notFound(id));
        if (peer.isRevoked()) {
            return peer;
        }
        Peer revoked = peer.revoke(Instant.now(clock), reason);
        store.update(revoked);
        outbox.append(Topics.PEERS, id.toString(), KeyRevoked.newBuilder()
                .setMetadata(metadata.create(actor, revoked.revision()))
                .setPeerId(id.toString())
                .setNetworkId(revoked.networkId())
                .setPublicKey(revoked.publicKey().base64())
                .setReason(RevocationReason.valueOf(reason.name()))
                .build());
        LOG.info("peer {} revoked by {} ({})", id, actor, reason);
        return revoked;
    }

    /** Applies ipam-service's AddressAssigned; a redelivered or older event changes nothing. */
    @Transactional
    public void addressAssigned(AddressAssigned event) {
        UUID id = UUID.fromString(event.getPeerId());
        Optional<Peer> found = store.findForUpdate(id);
        if (found.isEmpty()) {
            LOG.warn("AddressAssigned {} for unknown peer {} ignored", event.getMetadata().getEventId(), id);
            return;
        }
        Peer peer = found.get();
        Peer updated = peer.assignAddress(event.getIpv4Address(), event.getIpv6Address(), event.getEdgeId(),
                event.getMetadata().getRevision());
        if (updated != peer) {
            store.update(updated);
            LOG.info("peer {} has address {} {} (event {})", id, updated.ipv4Address(),
                    updated.ipv6Address() == null ? "" : updated.ipv6Address(), event.getMetadata().getEventId());
        }
        AddressWaiters.Addresses addresses = new AddressWaiters.Addresses(event.getIpv4Address(), event.getIpv6Address(),
                event.getMetadata().getRevision(), null, event.getEdgeId());
        tx.findTransactionStatus().ifPresent(s -> s.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                waiters.arrived(id, addresses);
            }
        }));
    }

    /** Records why ipam-service could not give the peer an address, and tells a waiting registration. */
    @Transactional
    public void addressFailed(dev.wgcp.events.v1.AddressAllocationFailed event) {
        UUID id = UUID.fromString(event.getPeerId());
        Optional<Peer> found = store.findForUpdate(id);
        if (found.isEmpty()) {
            LOG.warn("AddressAllocationFailed {} for unknown peer {} ignored", event.getMetadata().getEventId(), id);
            return;
        }
        Peer updated = found.get().addressFailed(event.getMessage());
        if (updated == found.get()) {
            return; // it has an address by now
        }
        store.update(updated);
        LOG.warn("peer {} got no tunnel address: {}", id, event.getMessage());
        AddressWaiters.Addresses failure = new AddressWaiters.Addresses(null, null, 0, event.getMessage(), null);
        tx.findTransactionStatus().ifPresent(s -> s.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                waiters.arrived(id, failure);
            }
        }));
    }

    @Transactional(readOnly = true)
    public Peer get(UUID id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    @Transactional(readOnly = true)
    public List<Peer> list(String network, PeerStatus status, String tag, String name, int limit, long offset) {
        if (network != null) {
            networks.get(network);
        }
        return store.list(network, status, tag, name, limit, offset);
    }

    private static Refusal notFound(UUID id) {
        return Refusal.notFound("peer " + id + " does not exist");
    }
}
