package dev.wgcp.edge.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The minimal change that turns the live interface into the desired one, each with its reason.
 * Nothing changed means an empty list, so an unchanged interface is never touched.
 */
public final class PeerDiff {

    /** The reason of a removal of a peer the agent does not know from an interface it owns. */
    public static final String UNKNOWN_PEER = "not in the registry (unknown peer on an exclusive interface)";

    private PeerDiff() {
    }

    /**
     * @param exclusive whether this agent owns the interface: then peers it does not know are removed;
     *                  otherwise they are left alone (an interface shared with hand-made peers)
     * @param revokedKeys keys that must never be on the interface, even on a shared one
     */
    public static List<PeerChange> diff(Map<String, DesiredPeer> desired, Map<String, LivePeer> live, boolean exclusive,
                                        java.util.Set<String> revokedKeys) {
        return diff(desired, live, exclusive, revokedKeys, key -> false);
    }

    /**
     * As {@link #diff(Map, Map, boolean, java.util.Set)}; {@code seen} says which keys the topics named
     * (a key a rotation replaced, a peer moved to another network or edge): such a key is this agent's to
     * remove, on a shared interface too, and is not counted as unknown (by {@link RemovalGuard}).
     */
    public static List<PeerChange> diff(Map<String, DesiredPeer> desired, Map<String, LivePeer> live, boolean exclusive,
                                        java.util.Set<String> revokedKeys, java.util.function.Predicate<String> seen) {
        List<PeerChange> removals = new ArrayList<>();
        List<PeerChange> upserts = new ArrayList<>();
        for (LivePeer l : new TreeMap<>(live).values()) {
            if (desired.containsKey(l.publicKey())) {
                continue;
            }
            if (revokedKeys.contains(l.publicKey())) {
                removals.add(new PeerChange.Remove(l.publicKey(), "key revoked"));
            } else if (seen.test(l.publicKey())) {
                removals.add(new PeerChange.Remove(l.publicKey(), "no longer in this network"));
            } else if (exclusive) {
                removals.add(new PeerChange.Remove(l.publicKey(), UNKNOWN_PEER));
            }
        }
        for (DesiredPeer d : new TreeMap<>(desired).values()) {
            upsert(d, live.get(d.publicKey())).ifPresent(upserts::add);
        }
        // Removals first: a revoked key stops working before anything else happens.
        List<PeerChange> all = new ArrayList<>(removals);
        all.addAll(upserts);
        return all;
    }

    /**
     * The change for just the keys whose peers changed: each key's desired peer (or none: it must go)
     * against what the interface holds. Costs as much as the keys changed, not as the interface holds.
     */
    public static List<PeerChange> diffChanged(Map<String, java.util.Optional<DesiredPeer>> changed, Map<String, LivePeer> live,
                                               java.util.Set<String> revokedKeys) {
        List<PeerChange> removals = new ArrayList<>();
        List<PeerChange> upserts = new ArrayList<>();
        for (Map.Entry<String, java.util.Optional<DesiredPeer>> e : new TreeMap<>(changed).entrySet()) {
            LivePeer l = live.get(e.getKey());
            if (e.getValue().isEmpty()) {
                if (l != null) {
                    removals.add(new PeerChange.Remove(e.getKey(), revokedKeys.contains(e.getKey()) ? "key revoked" : "no longer in this network"));
                }
                continue;
            }
            upsert(e.getValue().get(), l).ifPresent(upserts::add);
        }
        List<PeerChange> all = new ArrayList<>(removals);
        all.addAll(upserts);
        return all;
    }

    /**
     * WireGuard's handshake is renewed every 2 minutes while traffic flows; with none for longer than
     * this, the endpoint it uses may be gone (what reresolve-dns.sh checks: 135 s).
     */
    public static final long STALE_HANDSHAKE_SECONDS = 135;

    /** The change that makes {@code live} (null: absent) into {@code desired}, with why; empty when they match. */
    private static java.util.Optional<PeerChange> upsert(DesiredPeer desired, LivePeer live) {
        if (live == null) {
            return java.util.Optional.of(new PeerChange.Upsert(desired, "missing"));
        }
        if (!live.allowedIps().equals(desired.allowedIps())) {
            return java.util.Optional.of(new PeerChange.Upsert(desired, "allowed-ips " + live.allowedIps() + " should be " + desired.allowedIps()));
        }
        if (live.persistentKeepalive() != desired.persistentKeepalive()) {
            return java.util.Optional.of(new PeerChange.Upsert(desired,
                    "keepalive " + live.persistentKeepalive() + " should be " + desired.persistentKeepalive()));
        }
        if (desired.endpoint() != null && !desired.endpoint().equals(live.endpoint())) {
            // WireGuard follows a peer that roams; the configured endpoint wins only when that is not working.
            long silent = live.latestHandshakeEpochSeconds() == 0 ? Long.MAX_VALUE
                    : System.currentTimeMillis() / 1000 - live.latestHandshakeEpochSeconds();
            if (live.endpoint() == null || silent > STALE_HANDSHAKE_SECONDS) {
                return java.util.Optional.of(new PeerChange.Upsert(desired, "endpoint " + live.endpoint() + " should be "
                        + desired.endpoint() + (live.endpoint() == null ? "" : " (no handshake for "
                        + (silent == Long.MAX_VALUE ? "ever" : silent + " s") + ")")));
            }
        }
        return java.util.Optional.empty();
    }
}
