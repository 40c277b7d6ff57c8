package dev.wgcp.schemas.projection;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The peers of the fleet as the peer and address topics describe them, for consumers that rebuild
 * their view from the topics (edge agents, firewall-sync). Idempotent under redelivery and
 * reordering: registry events and address events each carry a per-peer revision, and an event at or
 * below the one applied is skipped. A revoked key is terminal: once seen, it is never active again,
 * whatever arrives later.
 */
public final class PeerProjection {

    /**
     * A peer that is registered, not revoked, and has at least one address; {@code edgeId} is the edge
     * whose address segment it is in (null: its network's pools are shared by every edge);
     * {@code endpoint} the host:port edges dial (a site-to-site peer), null for a roaming client.
     */
    public record ActivePeer(String peerId, String networkId, String publicKey, int persistentKeepalive,
                             String ipv4Address, String ipv6Address, String edgeId, String endpoint) {

        public ActivePeer(String peerId, String networkId, String publicKey, int persistentKeepalive, String ipv4Address,
                          String ipv6Address) {
            this(peerId, networkId, publicKey, persistentKeepalive, ipv4Address, ipv6Address, null, null);
        }

        /** Whether the edge {@code edge} carries this peer: every edge, unless the peer is in another edge's segment. */
        public boolean servedBy(String edge) {
            return edgeId == null || edgeId.equals(edge);
        }
    }

    /** Which peer holds a key, and the revisions of the events that made it what it is. */
    public record PeerRef(String peerId, long registryRevision, long addressRevision) {
    }

    private static final class State {
        String networkId;
        String name;
        String endpoint;
        List<String> tags = List.of();
        /** Revision of the event the name and keepalive came from (PeerRegistered or PeerUpdated). */
        long detailsRevision;
        String publicKey;
        int keepalive;
        boolean revoked;
        long registryRevision;
        String ipv4;
        String ipv6;
        String edgeId;
        long addressRevision;
    }

    private final Map<String, State> peers = new HashMap<>();
    private final Set<String> revokedKeys = new HashSet<>();
    /** Public keys whose peers changed since {@link #drainTouchedKeys()} was last called. */
    private Set<String> touchedKeys = new HashSet<>();
    private final Map<String, String> peerIdByKey = new HashMap<>();

    /** Applies a peer or address event; true when it changed the projection. Other events are ignored. */
    public synchronized boolean apply(SpecificRecord event) {
        if (event instanceof PeerRegistered e) {
            boolean changed = registered(e.getPeerId(), e.getNetworkId(), e.getPublicKey(), e.getPersistentKeepaliveSeconds(),
                    e.getMetadata().getRevision());
            State p = peers.get(e.getPeerId());
            if (p != null && e.getMetadata().getRevision() > p.detailsRevision) {
                p.name = e.getName();
                p.endpoint = e.getEndpoint();
                p.tags = List.copyOf(e.getTags());
                p.detailsRevision = e.getMetadata().getRevision();
            }
            return changed;
        } else if (event instanceof dev.wgcp.events.v1.PeerUpdated e) {
            boolean changed = updated(e.getPeerId(), e.getName(), e.getPersistentKeepaliveSeconds(), e.getMetadata().getRevision());
            if (changed) {
                peers.get(e.getPeerId()).endpoint = e.getEndpoint();
                peers.get(e.getPeerId()).tags = List.copyOf(e.getTags());
            }
            return changed;
        } else if (event instanceof KeyRevoked e) {
            return e.getReason() == dev.wgcp.events.v1.RevocationReason.ROTATED
                    ? keyRetired(e.getPeerId(), e.getPublicKey(), e.getMetadata().getRevision())
                    : revoked(e.getPeerId(), e.getNetworkId(), e.getPublicKey(), e.getMetadata().getRevision());
        } else if (event instanceof PeerRemoved e) {
            // Its key was revoked before; a consumer that missed that still must never keep the peer.
            return revoked(e.getPeerId(), e.getNetworkId(), e.getPublicKey(), e.getMetadata().getRevision());
        } else if (event instanceof KeyRotated e) {
            return rotated(e.getPeerId(), e.getOldPublicKey(), e.getNewPublicKey(), e.getMetadata().getRevision());
        } else if (event instanceof AddressAssigned e) {
            return addressAssigned(e.getPeerId(), e.getIpv4Address(), e.getIpv6Address(), e.getEdgeId(), e.getMetadata().getRevision());
        }
        return false;
    }

    public synchronized boolean registered(String peerId, String network, String publicKey, int keepalive, long revision) {
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (revision <= p.registryRevision) {
            return false;
        }
        touch(p);
        p.registryRevision = revision;
        p.networkId = network;
        p.publicKey = publicKey;
        if (revision > p.detailsRevision) {
            p.keepalive = keepalive; // unless a later PeerUpdated was read first
        }
        peerIdByKey.put(publicKey, peerId);
        touch(p);
        return true;
    }

    /**
     * Name or keepalive changed (PeerUpdated); an older or repeated update changes nothing. Kept apart
     * from the key's revision, so an update read before its registration loses nothing.
     */
    public synchronized boolean updated(String peerId, String name, int keepalive, long revision) {
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (revision <= p.detailsRevision) {
            return false;
        }
        p.detailsRevision = revision;
        p.name = name;
        p.keepalive = keepalive;
        touch(p);
        return true;
    }

    /** The peer's tags (from its registration or latest update); empty for an unknown peer. */
    public synchronized List<String> tagsOf(String peerId) {
        State p = peers.get(peerId);
        return p == null ? List.of() : p.tags;
    }

    /** The peer's name, if it has one. */
    public synchronized Optional<String> nameOf(String peerId) {
        State p = peers.get(peerId);
        return p == null ? Optional.empty() : Optional.ofNullable(p.name);
    }

    /**
     * The peer ended (revoked by an operator, expired, deleted): {@code publicKey} and every key the
     * projection knows the peer by are terminal, whatever is read later. The key named may be one the
     * peer's rotation to has not been read yet; the peer ends all the same.
     */
    public synchronized boolean revoked(String peerId, String network, String publicKey, long revision) {
        boolean newKey = revokedKeys.add(publicKey);
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (p.revoked && !newKey) {
            return false;
        }
        p.registryRevision = Math.max(p.registryRevision, revision);
        touch(p);
        if (p.publicKey != null) {
            revokedKeys.add(p.publicKey);
        }
        if (p.publicKey == null || !p.publicKey.equals(publicKey)) {
            peerIdByKey.putIfAbsent(publicKey, peerId);
        }
        if (p.publicKey == null) {
            p.publicKey = publicKey;
        }
        p.networkId = network;
        p.revoked = true;
        touchedKeys.add(publicKey);
        return true;
    }

    /**
     * One key of the peer ended, the peer lives on: the key a rotation replaced, revoked when the
     * rotation's overlap ended (KeyRevoked, reason ROTATED). Read before the rotation itself, it
     * leaves the rotation to be applied still.
     */
    public synchronized boolean keyRetired(String peerId, String publicKey, long revision) {
        boolean newKey = revokedKeys.add(publicKey);
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (p.publicKey != null && !p.publicKey.equals(publicKey)) {
            p.registryRevision = Math.max(p.registryRevision, revision);
        }
        peerIdByKey.putIfAbsent(publicKey, peerId);
        touchedKeys.add(publicKey);
        return newKey;
    }

    /**
     * The peer's key changed: the new key takes the peer's place (and address), the old one is no
     * longer the peer's. A rotation to a key revoked before is ignored: revocation is terminal.
     */
    public synchronized boolean rotated(String peerId, String oldKey, String newKey, long revision) {
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (revision <= p.registryRevision) {
            return false;
        }
        p.registryRevision = revision;
        touchedKeys.add(oldKey);
        touchedKeys.add(newKey);
        p.publicKey = newKey;
        peerIdByKey.put(newKey, peerId);
        peerIdByKey.putIfAbsent(oldKey, peerId);
        return true;
    }

    public synchronized boolean addressAssigned(String peerId, String ipv4, String ipv6, long revision) {
        return addressAssigned(peerId, ipv4, ipv6, null, revision);
    }

    public synchronized boolean addressAssigned(String peerId, String ipv4, String ipv6, String edgeId, long revision) {
        State p = peers.computeIfAbsent(peerId, k -> new State());
        if (revision <= p.addressRevision) {
            return false;
        }
        p.addressRevision = revision;
        p.ipv4 = ipv4;
        p.ipv6 = ipv6;
        p.edgeId = edgeId;
        touch(p);
        return true;
    }

    private void touch(State p) {
        if (p.publicKey != null) {
            touchedKeys.add(p.publicKey);
        }
    }

    /** The public keys whose peers changed since the last call, so a consumer can apply just those. */
    public synchronized Set<String> drainTouchedKeys() {
        Set<String> out = touchedKeys;
        touchedKeys = new HashSet<>();
        return out;
    }

    /** The active peer holding {@code publicKey} in {@code networkId}, if any. */
    public synchronized Optional<ActivePeer> activeByKey(String networkId, String publicKey) {
        if (revokedKeys.contains(publicKey)) {
            return Optional.empty();
        }
        String peerId = peerIdByKey.get(publicKey);
        State p = peerId == null ? null : peers.get(peerId);
        if (p == null || p.revoked || !publicKey.equals(p.publicKey) || !networkId.equals(p.networkId)
                || (p.ipv4 == null && p.ipv6 == null)) {
            return Optional.empty();
        }
        return Optional.of(new ActivePeer(peerId, p.networkId, p.publicKey, p.keepalive, p.ipv4, p.ipv6, p.edgeId, p.endpoint));
    }

    /** Active peers of {@code networkId}. */
    public synchronized List<ActivePeer> active(String networkId) {
        List<ActivePeer> out = new ArrayList<>();
        for (Map.Entry<String, State> e : peers.entrySet()) {
            State p = e.getValue();
            if (p.revoked || p.publicKey == null || !networkId.equals(p.networkId) || revokedKeys.contains(p.publicKey)
                    || (p.ipv4 == null && p.ipv6 == null)) {
                continue;
            }
            out.add(new ActivePeer(e.getKey(), p.networkId, p.publicKey, p.keepalive, p.ipv4, p.ipv6, p.edgeId, p.endpoint));
        }
        return out;
    }

    /** The peer holding {@code publicKey} with its latest revisions, if the key was ever seen. */
    public synchronized Optional<PeerRef> refByKey(String publicKey) {
        String peerId = peerIdByKey.get(publicKey);
        State p = peerId == null ? null : peers.get(peerId);
        return p == null ? Optional.empty() : Optional.of(new PeerRef(peerId, p.registryRevision, p.addressRevision));
    }

    /** The peer id registered with {@code publicKey}, if any. */
    public synchronized Optional<String> peerIdOf(String publicKey) {
        return Optional.ofNullable(peerIdByKey.get(publicKey));
    }

    public synchronized Set<String> revokedKeys() {
        return Set.copyOf(revokedKeys);
    }
}
