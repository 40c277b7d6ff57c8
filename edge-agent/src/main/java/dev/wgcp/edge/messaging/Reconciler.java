package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.edge.domain.PeerDiff;
import dev.wgcp.edge.wireguard.WireGuard;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final ApplyListener listener;
    private final AtomicLong passes = new AtomicLong();
    /** What the interface holds as far as this agent knows: read on full passes, updated by every apply. */
    private Map<String, LivePeer> known;

    public Reconciler(DesiredState desired, WireGuard wireGuard, AgentSettings settings, ApplyListener listener) {
        this.desired = desired;
        this.wireGuard = wireGuard;
        this.settings = settings;
        this.listener = listener;
    }

    /** A full pass: reads the interface itself, so drift made by hand is found and repaired. */
    public Result reconcile(String trigger) {
        return reconcile(trigger, true);
    }

    /**
     * One pass. A full pass reads the interface; an event pass diffs against what this agent last
     * read and applied, which keeps the cost of applying one event independent of how many peers
     * the interface holds. Drift is left to the next full pass (start, timer, API).
     */
    public synchronized Result reconcile(String trigger, boolean full) {
        List<PeerChange> changes;
        if (full || known == null) {
            known = new HashMap<>(wireGuard.peers());
            desired.drainChanges(); // a full pass covers every pending change
            changes = PeerDiff.diff(desired.peers(), known, settings.isExclusive(), desired.revokedKeys());
        } else {
            changes = PeerDiff.diffChanged(desired.drainChanges(), known, desired.revokedKeys());
        }
        passes.incrementAndGet();
        if (changes.isEmpty()) {
            return new Result(0, 0, 0);
        }
        try {
            wireGuard.apply(changes);
        } catch (RuntimeException e) {
            known = null; // unknown how much was applied: read the interface on the next pass
            throw e;
        }
        Instant appliedAt = Instant.now();
        for (PeerChange c : changes) {
            if (c instanceof PeerChange.Remove) {
                known.remove(c.publicKey());
            } else if (c instanceof PeerChange.Upsert u) {
                LivePeer before = known.get(c.publicKey());
                known.put(c.publicKey(), new LivePeer(c.publicKey(), before == null ? null : before.endpoint(),
                        u.peer().allowedIps(), before == null ? 0 : before.latestHandshakeEpochSeconds(),
                        before == null ? 0 : before.rxBytes(), before == null ? 0 : before.txBytes(),
                        u.peer().persistentKeepalive()));
            }
        }
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
        try {
            listener.applied(trigger, changes, appliedAt);
        } catch (RuntimeException e) {
            // The interface is right; only the acknowledgement is missing. Never undo or retry an apply for it.
            LOG.warn("{}: acknowledging {} applied changes failed: {}", settings.getInterfaceName(), changes.size(), e.getMessage());
        }
        return new Result(added, updated, removed);
    }

    public long passes() {
        return passes.get();
    }
}
