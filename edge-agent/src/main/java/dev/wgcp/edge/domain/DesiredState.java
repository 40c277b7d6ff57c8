package dev.wgcp.edge.domain;

import dev.wgcp.schemas.projection.PeerProjection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * What this edge's interface must contain: the active peers of its network from the
 * {@link PeerProjection} of the event topics (idempotent, revocation terminal), as WireGuard peers
 * whose allowed-ips are their tunnel addresses.
 */
public final class DesiredState {

    private final String networkId;
    private final String edgeId;
    private final PeerProjection projection = new PeerProjection();

    public DesiredState(String networkId) {
        this(networkId, null);
    }

    /**
     * The state of edge {@code edgeId}'s interface in {@code networkId}: a peer whose addresses come
     * from another edge's segment of the network is not on it.
     */
    public DesiredState(String networkId, String edgeId) {
        this.networkId = networkId;
        this.edgeId = edgeId;
    }

    /** Applies a peer or address event; true when the desired state may have changed. */
    public boolean apply(SpecificRecord event) {
        return projection.apply(event);
    }

    public boolean registered(String peerId, String network, String publicKey, int keepalive, long revision) {
        return projection.registered(peerId, network, publicKey, keepalive, revision);
    }

    public boolean revoked(String peerId, String network, String publicKey, long revision) {
        return projection.revoked(peerId, network, publicKey, revision);
    }

    public boolean addressAssigned(String peerId, String ipv4, String ipv6, long revision) {
        return projection.addressAssigned(peerId, ipv4, ipv6, revision);
    }

    public boolean addressAssigned(String peerId, String ipv4, String ipv6, String edge, long revision) {
        return projection.addressAssigned(peerId, ipv4, ipv6, edge, revision);
    }

    /** The peers that must be on the interface, by public key. */
    public Map<String, DesiredPeer> peers() {
        Map<String, DesiredPeer> out = new HashMap<>();
        for (PeerProjection.ActivePeer p : projection.active(networkId)) {
            if (p.servedBy(edgeId)) {
                out.put(p.publicKey(), toDesired(p));
            }
        }
        return out;
    }

    /**
     * The keys whose peers changed since the last call, each with the peer it must be on the
     * interface, or none when it must not be there (revoked, another network or edge, no address).
     */
    public Map<String, Optional<DesiredPeer>> drainChanges() {
        Map<String, Optional<DesiredPeer>> out = new HashMap<>();
        for (String key : projection.drainTouchedKeys()) {
            out.put(key, projection.activeByKey(networkId, key).filter(p -> p.servedBy(edgeId)).map(DesiredState::toDesired));
        }
        return out;
    }

    /**
     * The WireGuard peer entry of an active peer: its tunnel addresses as allowed-ips, no endpoint (a
     * roaming client dials in and WireGuard learns where from), and no persistent keepalive on the
     * edge's side. The keepalive the registry holds is the client's: the side behind NAT sends it
     * (it is in the client's wg-quick config). Set on the edge for a peer without an endpoint, it
     * makes WireGuard start a handshake that cannot be sent and retry it every 5 s for 90 s, which
     * cost wireguard-go most of a core at a few hundred registrations per second (docs/performance.md).
     * A site-to-site peer with an endpoint is dialled by the edge, with the peer's keepalive.
     */
    private static DesiredPeer toDesired(PeerProjection.ActivePeer p) {
        List<String> allowed = new ArrayList<>();
        if (p.ipv4Address() != null) {
            allowed.add(p.ipv4Address() + "/32");
        }
        if (p.ipv6Address() != null) {
            allowed.add(p.ipv6Address() + "/128");
        }
        // A site-to-site peer the edge dials: its keepalive keeps the NAT mappings on both sides open.
        return p.endpoint() == null ? new DesiredPeer(p.publicKey(), allowed, 0)
                : new DesiredPeer(p.publicKey(), allowed, p.persistentKeepalive(), p.endpoint());
    }

    /** The peer that must be on the interface under {@code publicKey} now, if any. */
    public Optional<DesiredPeer> peerFor(String publicKey) {
        return projection.activeByKey(networkId, publicKey).filter(p -> p.servedBy(edgeId)).map(DesiredState::toDesired);
    }

    /** The peer holding {@code publicKey} and the revisions it is at, if the key was ever seen. */
    public Optional<PeerProjection.PeerRef> refOf(String publicKey) {
        return projection.refByKey(publicKey);
    }

    /** The name of the peer holding {@code publicKey}, if it has one. */
    public Optional<String> nameOf(String publicKey) {
        return projection.peerIdOf(publicKey).flatMap(projection::nameOf);
    }

    public Optional<String> peerIdOf(String publicKey) {
        return projection.peerIdOf(publicKey);
    }

    public Set<String> revokedKeys() {
        return projection.revokedKeys();
    }
}
