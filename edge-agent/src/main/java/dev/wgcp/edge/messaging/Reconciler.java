package dev.wgcp.edge.messaging;

import dev.wgcp.edge.domain.DesiredPeer;
import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.InterfaceSpec;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.edge.domain.PeerDiff;
import dev.wgcp.edge.domain.RemovalGuard;
import dev.wgcp.edge.firewall.FirewallException;
import dev.wgcp.edge.firewall.FirewallSync;
import dev.wgcp.edge.metrics.AgentMetrics;
import dev.wgcp.edge.wireguard.WireGuard;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Desired state → diff against the live interface → one batched apply. Serialized: one pass at a time. One per interface. */
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** What one pass did; {@code deferred}: new peers waiting for a ruleset that lets them in. */
    @io.micronaut.serde.annotation.Serdeable
    public record Result(int added, int updated, int removed, int deferred) {
    }

    private final DesiredState desired;
    private final WireGuard wireGuard;
    private final InterfaceSpec spec;
    private final Duration firewallWait;
    private final ApplyListener listener;
    private final FirewallSync firewall;
    private final AtomicLong passes = new AtomicLong();
    /** What the interface holds as far as this agent knows: read on full passes, updated by every apply. */
    private Map<String, LivePeer> known;
    /** New peers held back until the applied ruleset lets their addresses in, and since when. */
    private final Map<String, Instant> deferred = new ConcurrentHashMap<>();
    private final AgentMetrics metrics;
    private final dev.wgcp.edge.domain.Endpoints endpoints = new dev.wgcp.edge.domain.Endpoints();
    private final RemovalGuard guard;

    public Reconciler(DesiredState desired, WireGuard wireGuard, InterfaceSpec spec, Duration firewallWait, ApplyListener listener,
                      @Nullable FirewallSync firewall, AgentMetrics metrics, RemovalGuard guard) {
        this.guard = guard;
        this.spec = spec;
        this.firewallWait = firewallWait;
        this.metrics = metrics;
        this.desired = desired;
        this.wireGuard = wireGuard;
        this.listener = listener;
        this.firewall = firewall;
    }

    /** A full pass: reads the interface itself, so drift made by hand is found and repaired. */
    public Result reconcile(String trigger) {
        return reconcile(trigger, true);
    }

    /**
     * One pass. A full pass reads the interface (and the agent's nft table); an event pass diffs
     * against what this agent last read and applied, which keeps the cost of applying one event
     * independent of how many peers the interface holds. Drift is left to the next full pass (start,
     * timer, API).
     *
     * <p>With the firewall managed, the order is: peers leaving are removed from WireGuard first, then
     * a new ruleset is applied, then peers are added — a peer is added only once the applied ruleset
     * lets its addresses in (or after {@code wgcp.agent.firewall-wait}, with a warning), and a
     * removed peer's rules go only after the peer is gone.
     */
    public synchronized Result reconcile(String trigger, boolean full) {
        long started = System.nanoTime();
        try {
            return pass(trigger, full);
        } finally {
            metrics.passTimer(full || known == null).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Passes not caused by the agent's own start or by events: what they repair is drift. */
    private static boolean repairsDrift(String trigger) {
        return trigger.equals("resync") || trigger.equals("api");
    }

    private Result pass(String trigger, boolean full) {
        List<PeerChange> changes;
        if (full || known == null) {
            known = new HashMap<>(wireGuard.peers());
            desired.drainChanges(); // a full pass covers every pending change
            Map<String, DesiredPeer> wanted = resolved(desired.peers());
            changes = guarded(PeerDiff.diff(wanted, known, spec.exclusive(), desired.revokedKeys(),
                    key -> desired.peerIdOf(key).isPresent()), wanted.size());
            if (repairsDrift(trigger) && !changes.isEmpty()) {
                metrics.drift(changes);
            }
        } else {
            Map<String, Optional<DesiredPeer>> touched = new HashMap<>(desired.drainChanges());
            for (String key : deferred.keySet()) {
                touched.putIfAbsent(key, desired.peerFor(key));
            }
            touched.replaceAll((key, peer) -> peer.map(this::resolved));
            changes = PeerDiff.diffChanged(touched, known, desired.revokedKeys());
        }
        passes.incrementAndGet();
        List<PeerChange> removals = new ArrayList<>();
        List<PeerChange> upserts = new ArrayList<>();
        for (PeerChange c : changes) {
            (c instanceof PeerChange.Remove ? removals : upserts).add(c);
        }
        int removed = 0;
        if (firewall != null) {
            Optional<FirewallSync.Plan> plan = Optional.empty();
            try {
                plan = firewall.plan(full, addressesInUse(removals));
            } catch (FirewallException e) {
                LOG.error("{}: cannot read the firewall: {}", spec.name(), e.getMessage());
            } catch (RuntimeException e) {
                // Whatever broke, the peers leaving still leave (below); the firewall is tried again next pass.
                LOG.error("{}: planning the firewall failed; peers leaving are removed all the same", spec.name(), e);
            }
            if (plan.isPresent()) {
                if (!removals.isEmpty()) {
                    removed = applyBatch(trigger, removals)[2]; // gone from WireGuard before their rules go
                    removals = List.of();
                }
                if (repairsDrift(trigger) && plan.get().reason().startsWith("table ")) {
                    metrics.firewallDrift();
                }
                try {
                    firewall.apply(plan.get());
                } catch (FirewallException e) {
                    // New peers keep waiting (up to the firewall wait); the next pass tries again.
                    LOG.error("{}: {}", spec.name(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("{}: applying the firewall failed; the next pass tries again", spec.name(), e);
                }
            }
        }
        List<PeerChange> ready = new ArrayList<>(removals);
        Set<String> stillDeferred = new HashSet<>();
        Instant now = Instant.now();
        for (PeerChange c : upserts) {
            PeerChange.Upsert u = (PeerChange.Upsert) c;
            if (firewall == null || firewall.allows(u.peer().allowedIps())) {
                ready.add(c);
                continue;
            }
            Instant since = deferred.getOrDefault(c.publicKey(), now);
            if (Duration.between(since, now).compareTo(firewallWait) >= 0) {
                LOG.warn("{}: no applied ruleset lets {} in after {}; adding peer {} anyway: its packets are dropped until firewall-sync"
                        + " allows them", spec.name(), u.peer().allowedIps(), firewallWait, c.publicKey());
                ready.add(c);
            } else {
                stillDeferred.add(c.publicKey());
                deferred.putIfAbsent(c.publicKey(), since);
            }
        }
        deferred.keySet().retainAll(stillDeferred);
        int[] done = applyBatch(trigger, ready);
        if (firewall != null) {
            try {
                firewall.recordListing();
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot read the firewall table after applying it: {}", spec.name(), e.getMessage());
            }
        }
        return new Result(done[0], done[1], removed + done[2], deferred.size());
    }

    /**
     * A full pass's changes without the removals of unknown peers when those are too many to believe
     * ({@link RemovalGuard}): said in the log and in {@code wgcp_agent_removals_withheld} (alert
     * {@code WgcpAgentWithholdsRemovals}).
     */
    private List<PeerChange> guarded(List<PeerChange> changes, int wanted) {
        RemovalGuard.Verdict verdict = guard.judge(changes, known.size());
        metrics.removalsWithheld(verdict.withheld().size());
        if (verdict.refused()) {
            LOG.error("{}: refusing to remove {} of its {} live peers as unknown to the registry in one pass (more than {} %): the"
                            + " desired state holds only {} peers; were the topics reset or recreated, or are the agent's network or"
                            + " edge id wrong? They stay until the desired state knows them, or until wgcp.agent.removal-guard-share is"
                            + " raised (1: off); revoked keys are removed all the same", spec.name(), verdict.withheld().size(),
                    known.size(), Math.round(guard.maxShare() * 100), wanted);
        }
        return verdict.apply();
    }

    /**
     * Whether an address belongs to a peer that stays on WireGuard after this pass and is still
     * desired: the ruleset keeps letting it in until the peer has left (its revocation may reach
     * firewall-sync before it reaches this agent). Computed once, and only when asked.
     */
    private java.util.function.Predicate<String> addressesInUse(List<PeerChange> removals) {
        Set<String> leaving = new HashSet<>();
        removals.forEach(r -> leaving.add(r.publicKey()));
        Set<String>[] inUse = new Set[1];
        return address -> {
            if (inUse[0] == null) {
                inUse[0] = new HashSet<>();
                for (LivePeer live : known.values()) {
                    if (!leaving.contains(live.publicKey()) && desired.peerFor(live.publicKey()).isPresent()) {
                        for (String ip : live.allowedIps()) {
                            inUse[0].add(ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip);
                        }
                    }
                }
            }
            return inUse[0].contains(address);
        };
    }

    private Map<String, DesiredPeer> resolved(Map<String, DesiredPeer> peers) {
        peers.replaceAll((key, peer) -> resolved(peer));
        return peers;
    }

    /** A site-to-site peer with its endpoint resolved now; without one when its name does not resolve (logged, tried again). */
    private DesiredPeer resolved(DesiredPeer peer) {
        if (peer.endpoint() == null) {
            return peer;
        }
        Optional<String> ip = endpoints.resolve(peer.endpoint());
        if (ip.isEmpty()) {
            LOG.warn("{}: endpoint {} of peer {} does not resolve now; the peer is set without it and the name is tried again on the"
                    + " next full pass", spec.name(), peer.endpoint(), peer.publicKey());
        }
        return peer.withEndpoint(ip.orElse(null));
    }

    /** Whether new peers or address removals wait: then passes are due even without events. */
    public boolean hasDeferred() {
        return !deferred.isEmpty() || firewall != null && firewall.holding();
    }

    /** Applies {@code changes} in one WireGuard operation and acknowledges them; returns added, updated, removed. */
    private int[] applyBatch(String trigger, List<PeerChange> changes) {
        if (changes.isEmpty()) {
            return new int[3];
        }
        long applyStarted = System.nanoTime();
        try {
            wireGuard.apply(changes);
            metrics.applyTimer().record(System.nanoTime() - applyStarted, java.util.concurrent.TimeUnit.NANOSECONDS);
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
                LOG.info("{}: {} peer {} ({}) [{}]", spec.name(), c instanceof PeerChange.Remove ? "removed" : "set",
                        c.publicKey(), c.reason(), trigger);
            }
        }
        LOG.info("{}: applied {} added, {} updated, {} removed in one wg set [{}]", spec.name(),
                added, updated, removed, trigger);
        try {
            listener.applied(trigger, changes, appliedAt);
        } catch (RuntimeException e) {
            // The interface is right; only the acknowledgement is missing. Never undo or retry an apply for it.
            LOG.warn("{}: acknowledging {} applied changes failed: {}", spec.name(), changes.size(), e.getMessage());
        }
        return new int[] {added, updated, removed};
    }

    public long passes() {
        return passes.get();
    }

    /** Whether, as far as this agent knows, the interface holds peers (it applied some and has not seen them go). */
    public boolean expectsPeers() {
        Map<String, LivePeer> k = known;
        return k != null && !k.isEmpty();
    }
}
