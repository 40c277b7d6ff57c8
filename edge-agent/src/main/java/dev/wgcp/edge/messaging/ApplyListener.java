package dev.wgcp.edge.messaging;

import dev.wgcp.edge.domain.PeerChange;
import java.time.Instant;
import java.util.List;

/** Told about every apply the interface confirmed, in the order they happened. */
public interface ApplyListener {

    /**
     * @param trigger   what made the agent apply (events, start, resync, api)
     * @param changes   the changes of the one operation, in the order sent
     * @param appliedAt when the interface confirmed them
     */
    void applied(String trigger, List<PeerChange> changes, Instant appliedAt);
}
