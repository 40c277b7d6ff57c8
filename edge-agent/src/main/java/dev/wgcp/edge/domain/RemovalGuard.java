package dev.wgcp.edge.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a full pass's removals of unknown peers when they are too many to be believed: an agent
 * whose desired state came up empty or short (topics reset or recreated, a wrong network or edge id,
 * a cluster it was not meant to read) would otherwise wipe an exclusive interface. Removals of
 * revoked keys and every other change always pass: the guard can keep a peer on for longer, never
 * keep a revoked key or stop a new peer.
 *
 * @param maxShare the largest share of the live peers (0..1) that one pass may remove as unknown;
 *                 1 switches the guard off
 * @param minPeers interfaces with fewer live peers are never guarded (removing 3 of 3 is believable)
 */
public record RemovalGuard(double maxShare, int minPeers) {

    /** Off: every removal passes. */
    public static final RemovalGuard OFF = new RemovalGuard(1.0, 0);

    public RemovalGuard {
        if (!(maxShare >= 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("the removal guard's share must be between 0 and 1 (1: off), got " + maxShare);
        }
        if (minPeers < 0) {
            throw new IllegalArgumentException("the removal guard's minimum of live peers must be 0 or more, got " + minPeers);
        }
    }

    /** What a pass applies, and the unknown-peer removals it withholds (empty when the pass is believable). */
    public record Verdict(List<PeerChange> apply, List<PeerChange> withheld) {
        public boolean refused() {
            return !withheld.isEmpty();
        }
    }

    /**
     * Judges a full pass's {@code changes} against an interface holding {@code live} peers: when more
     * than {@code maxShare} of them would go as unknown, those removals are withheld.
     */
    public Verdict judge(List<PeerChange> changes, int live) {
        List<PeerChange> unknown = new ArrayList<>();
        List<PeerChange> rest = new ArrayList<>(changes.size());
        for (PeerChange c : changes) {
            (c instanceof PeerChange.Remove && PeerDiff.UNKNOWN_PEER.equals(c.reason()) ? unknown : rest).add(c);
        }
        if (unknown.isEmpty() || maxShare >= 1 || live < minPeers || unknown.size() <= maxShare * live) {
            return new Verdict(changes, List.of());
        }
        return new Verdict(rest, unknown);
    }
}
