package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.edge.domain.PeerDiff;
import dev.wgcp.edge.wireguard.WireGuard;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Desired state → diff against the live interface → one batched apply. Serialized: one pass at a time. */
@Singleton
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** What one pass did. */
    @io.micronaut.serde.annotation.Serdeable
    public record Result(int added, int updated, int removed) {
    }

    private final DesiredState desired;
    private final WireGuard wireGuard;
    private final AgentSettings settings;
    private final AtomicLong passes = new AtomicLong();

    public Reconciler(DesiredState desired, WireGuard wireGuard, AgentSettings settings) {
        this.desired = desired;
        this.wireGuard = wireGuard;
        this.settings = settings;
    }

    public synchronized Result reconcile(String trigger) {
        List<PeerChange> changes = PeerDiff.diff(desired.peers(), wireGuard.peers(), settings.isExclusive(), desired.revokedKeys());
        passes.incrementAndGet();
        if (changes.isEmpty()) {
            return new Result(0, 0, 0);
        }
        wireGuard.apply(changes);
        int added = 0;
        int updated = 0;
        int removed = 0;
        for (PeerChange c : changes) {
            if (c instanceof PeerChange.Remove) {
                removed++;
            } else if ("missing".equals(c.reason())) {
                added++;
            } else {
                updated++;
            }
            if (changes.size() <= 20) {
                LOG.info("{}: {} peer {} ({}) [{}]", settings.getInterfaceName(), c instanceof PeerChange.Remove ? "removed" : "set",
                        c.publicKey(), c.reason(), trigger);
            }
        }
        LOG.info("{}: applied {} added, {} updated, {} removed in one wg set [{}]", settings.getInterfaceName(),
                added, updated, removed, trigger);
        return new Result(added, updated, removed);
    }

    public long passes() {
        return passes.get();
    }
}
