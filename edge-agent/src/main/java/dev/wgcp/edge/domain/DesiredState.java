package dev.wgcp.edge.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this edge's interface must contain, folded from the event topics. Idempotent under
 * redelivery and reordering: registry events and address events each carry a per-peer revision and
 * an event at or below the one applied is skipped. A revoked key is terminal: once seen, that key is
 * never desired again, whatever arrives later.
 */
public final class DesiredState {

    private static final class PeerState {
        String networkId;
        String publicKey;
        int keepalive;
        boolean revoked;
        long registryRevision;
        String ipv4;
        String ipv6;
        long addressRevision;
    }

    private final String networkId;
    private final Map<String, PeerState> peers = new HashMap<>();
    private final Set<String> revokedKeys = new HashSet<>();

    public DesiredState(String networkId) {
        this.networkId = networkId;
    }

    /** True when the event changed the state. */
    public synchronized boolean registered(String peerId, String network, String publicKey, int keepalive, long revision) {
        PeerState p = peers.computeIfAbsent(peerId, k -> new PeerState());
        if (revision <= p.registryRevision) {
            return false;
        }
        p.registryRevision = revision;
        p.networkId = network;
        p.publicKey = publicKey;
        p.keepalive = keepalive;
        return true;
    }

    public synchronized boolean revoked(String peerId, String network, String publicKey, long revision) {
        revokedKeys.add(publicKey);
        PeerState p = peers.computeIfAbsent(peerId, k -> new PeerState());
        if (revision <= p.registryRevision && p.revoked) {
            return false;
        }
        p.registryRevision = Math.max(p.registryRevision, revision);
        p.networkId = network;
        p.publicKey = publicKey;
        p.revoked = true;
        return true;
    }

    public synchronized boolean addressAssigned(String peerId, String ipv4, String ipv6, long revision) {
        PeerState p = peers.computeIfAbsent(peerId, k -> new PeerState());
        if (revision <= p.addressRevision) {
            return false;
        }
        p.addressRevision = revision;
        p.ipv4 = ipv4;
        p.ipv6 = ipv6;
        return true;
    }

    /** The peers that must be on the interface, by public key. */
    public synchronized Map<String, DesiredPeer> peers() {
        Map<String, DesiredPeer> out = new HashMap<>();
        for (PeerState p : peers.values()) {
            if (p.revoked || p.publicKey == null || !networkId.equals(p.networkId) || revokedKeys.contains(p.publicKey)) {
                continue;
            }
            List<String> allowed = new ArrayList<>();
            if (p.ipv4 != null) {
                allowed.add(p.ipv4 + "/32");
            }
            if (p.ipv6 != null) {
                allowed.add(p.ipv6 + "/128");
            }
            if (allowed.isEmpty()) {
                continue; // no address yet: a peer without allowed-ips could not send anything anyway
            }
            out.put(p.publicKey, new DesiredPeer(p.publicKey, allowed, p.keepalive));
        }
        return out;
    }

    /** The peer id registered with {@code publicKey}, if any. */
    public synchronized java.util.Optional<String> peerIdOf(String publicKey) {
        return peers.entrySet().stream().filter(e -> publicKey.equals(e.getValue().publicKey))
                .map(Map.Entry::getKey).findFirst();
    }

    public synchronized Set<String> revokedKeys() {
        return Set.copyOf(revokedKeys);
    }
}
