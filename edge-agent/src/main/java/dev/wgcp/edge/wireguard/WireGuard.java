package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.util.List;
import java.util.Map;

/** The data plane the agent drives: read the live peers, apply changes. */
public interface WireGuard {

    Map<String, LivePeer> peers();

    /** Applies all changes in one operation. */
    void apply(List<PeerChange> changes);
}
