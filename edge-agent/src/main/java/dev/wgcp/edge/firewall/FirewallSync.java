package dev.wgcp.edge.firewall;

import dev.wgcp.edge.domain.DesiredRuleset;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's own nft table as firewall-sync last said: applies a new ruleset as one
 * {@code nft -f} transaction, and on full passes compares the table with what it looked like right
 * after the last apply, re-applying when someone changed or deleted it. Never touches other tables.
 * Not thread-safe: the reconciler calls it from its one pass at a time.
 */
public final class FirewallSync {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallSync.class);

    private final String edgeId;
    private final Firewall firewall;
    private volatile DesiredRuleset desired;
    private DesiredRuleset applied;
    /** The table's normalized listing right after the last apply. */
    private String appliedListing;
    private final AtomicLong drifts = new AtomicLong();
    private final AtomicLong applies = new AtomicLong();

    public FirewallSync(String edgeId, Firewall firewall) {
        this.edgeId = edgeId;
        this.firewall = firewall;
    }

    /** Takes a ruleset event; true when it is this edge's and newer than the one held. */
    public boolean offer(FirewallRulesetChanged event) {
        if (!edgeId.equals(event.getEdgeId())) {
            return false;
        }
        DesiredRuleset current = desired;
        long revision = event.getMetadata().getRevision();
        if (current != null && revision <= current.revision() && event.getSha256().equals(current.sha256())) {
            return false;
        }
        if (current != null && revision < current.revision()) {
            return false;
        }
        desired = new DesiredRuleset(revision, event.getTable(), event.getRuleset(), event.getSha256(),
                new HashSet<>(event.getAllowedAddresses()));
        return true;
    }

    public Optional<DesiredRuleset> desired() {
        return Optional.ofNullable(desired);
    }

    /** The ruleset applied last, whose addresses are let in now; empty before the first apply. */
    public Optional<DesiredRuleset> applied() {
        return Optional.ofNullable(applied);
    }

    /** Whether a pass must apply the desired ruleset: it is new, or (on a full pass) the table drifted. */
    public Optional<String> needed(boolean full) {
        DesiredRuleset want = desired;
        if (want == null) {
            return Optional.empty();
        }
        if (applied == null || !applied.sha256().equals(want.sha256())) {
            return Optional.of(applied == null ? "first ruleset r" + want.revision() : "ruleset r" + want.revision() + " replaces r"
                    + applied.revision());
        }
        if (full) {
            Optional<String> now = firewall.list(want.table());
            if (now.isEmpty()) {
                return Optional.of("table " + want.table() + " is missing");
            }
            if (appliedListing != null && !DesiredRuleset.normalize(now.get()).equals(appliedListing)) {
                return Optional.of("table " + want.table() + " was changed outside the agent");
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the desired ruleset (one nft transaction). How the table looks after it is read by
     * {@link #recordListing()}, which the reconciler calls once the peers waiting for this ruleset are
     * on WireGuard: a second nft process is not what they should wait for.
     */
    public void apply(String reason) {
        DesiredRuleset want = desired;
        DesiredRuleset had = applied;
        String delta = had == null || reason.startsWith("table ") ? null : RulesetDelta.between(had, want);
        boolean viaDelta = false;
        if (delta != null) {
            try {
                firewall.apply(delta);
                viaDelta = true;
            } catch (FirewallException e) {
                LOG.warn("edge {}: the element changes of ruleset r{} were refused ({}); replacing the table instead", edgeId,
                        want.revision(), e.getMessage());
            }
        }
        if (!viaDelta) {
            firewall.apply(want.script());
        }
        appliedListing = null;
        boolean drift = had != null && had.sha256().equals(want.sha256());
        applied = want;
        applies.incrementAndGet();
        if (drift) {
            drifts.incrementAndGet();
            LOG.warn("edge {}: {}; ruleset r{} applied again", edgeId, reason, want.revision());
        } else {
            LOG.info("edge {}: {}: applied ({} addresses let in) in one nft transaction{}", edgeId, reason, want.allowedAddresses().size(),
                    viaDelta ? ", as set element changes" : "");
        }
    }

    /** Reads the table as the last apply left it: what later full passes compare with. */
    public void recordListing() {
        if (applied != null && appliedListing == null) {
            appliedListing = firewall.list(applied.table()).map(DesiredRuleset::normalize).orElse("");
        }
    }

    /** Whether the applied ruleset lets {@code allowedIps} in; true when no ruleset is managed at all. */
    public boolean allows(List<String> allowedIps) {
        if (desired == null) {
            return true; // firewall-sync publishes nothing for this edge: no ordering to keep
        }
        return applied != null && applied.allows(allowedIps);
    }

    public long drifts() {
        return drifts.get();
    }

    public long applies() {
        return applies.get();
    }
}
