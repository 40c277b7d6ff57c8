package dev.wgcp.edge.firewall;

import dev.wgcp.edge.domain.DesiredRuleset;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's own nft table as firewall-sync last said, never touching other tables. A new
 * ruleset that differs from the table only in set elements is applied as element changes, and the
 * removal of an address still used by a peer on WireGuard is held back until that peer is gone (at
 * most {@code wait}) while the additions go on at once; any other change replaces the table in one
 * {@code nft -f} transaction, held back as a whole while it would cut off such a peer. On full
 * passes the table is compared with its listing right after the last apply, and re-applied when
 * someone changed or deleted it. Not thread-safe: the reconciler calls it from one pass at a time.
 */
public final class FirewallSync {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallSync.class);

    /** What a pass is to apply: a whole table or element changes, and what it leaves held back. */
    public record Plan(String script, String reason, boolean wholeTable, Set<String> add, Set<String> remove, int heldBack,
                       Map<String, Set<String>> setAdds, Map<String, Set<String>> setRemoves) {
    }

    private final String edgeId;
    private final Firewall firewall;
    private final Duration wait;
    private volatile DesiredRuleset desired;
    /** The skeleton (script without set elements) and the addresses of what the table holds by our applies. */
    private String appliedSkeleton;
    private Set<String> inTable = Set.of();
    /** Every set's elements as our applies left them (canonical spelling), compared with the table's listing on full passes. */
    private Map<String, Set<String>> setsInTable = Map.of();
    /** The desired ruleset's sets, parsed once per ruleset. */
    private String parsedSha;
    private Map<String, Set<String>> desiredSets = Map.of();
    private long appliedRevision;
    /**
     * The table's listing without set elements, read after the last whole-table apply (element
     * changes do not change it); null until read. Elements are compared with {@code inTable}.
     */
    private String appliedListing;
    /** Since when an address removal (or a whole ruleset) waits for a peer to leave WireGuard; null when none waits. */
    private Instant heldSince;
    private final AtomicLong drifts = new AtomicLong();

    /** The sha of the desired ruleset nft refused last: not tried again before a full pass or a new ruleset. */
    private String refusedSha;
    private final RulesetListener listener;
    private final io.micrometer.core.instrument.Counter appliedCount;
    private final io.micrometer.core.instrument.Counter refusedCount;

    public FirewallSync(String edgeId, Firewall firewall, Duration wait, RulesetListener listener,
                        io.micrometer.core.instrument.MeterRegistry meters) {
        this.edgeId = edgeId;
        this.firewall = firewall;
        this.wait = wait;
        this.listener = listener;
        this.appliedCount = io.micrometer.core.instrument.Counter.builder("wgcp.agent.firewall.rulesets").tag("edge", edgeId)
                .tag("result", "applied").description("Rulesets nft applied, or refused (the previous one stayed in force)").register(meters);
        this.refusedCount = io.micrometer.core.instrument.Counter.builder("wgcp.agent.firewall.rulesets").tag("edge", edgeId)
                .tag("result", "refused").description("Rulesets nft applied, or refused (the previous one stayed in force)").register(meters);
    }

    /** Takes a ruleset event; true when it is this edge's and newer than the one held. */
    public boolean offer(FirewallRulesetChanged event) {
        if (!edgeId.equals(event.getEdgeId())) {
            return false;
        }
        DesiredRuleset current = desired;
        long revision = event.getMetadata().getRevision();
        if (current != null && (revision < current.revision() || revision == current.revision() && event.getSha256().equals(current.sha256()))) {
            return false;
        }
        desired = new DesiredRuleset(revision, event.getTable(), event.getRuleset(), event.getSha256(),
                new HashSet<>(event.getAllowedAddresses()));
        return true;
    }

    public Optional<DesiredRuleset> desired() {
        return Optional.ofNullable(desired);
    }

    /**
     * What to apply now, if anything. {@code inUse} tells whether an address belongs to a peer that
     * is on WireGuard and still desired there: its removal from the table waits for the peer's.
     */
    public Optional<Plan> plan(boolean full, Predicate<String> inUse) {
        DesiredRuleset want = desired;
        if (want == null || !full && want.sha256().equals(refusedSha)) {
            return Optional.empty(); // nothing, or refused by nft: tried again on the next full pass
        }
        String drift = null;
        if (full && appliedSkeleton != null) {
            Optional<String> now = firewall.list(want.table());
            if (now.isEmpty()) {
                drift = "table " + want.table() + " is missing";
            } else if (appliedListing != null && !RulesetDelta.skeleton(DesiredRuleset.normalize(now.get())).equals(appliedListing)) {
                drift = "table " + want.table() + " was changed outside the agent";
            } else if (!RulesetDelta.setsOf(now.get()).equals(setsInTable)) {
                drift = "table " + want.table() + " has set elements changed outside the agent";
            }
        }
        String skeleton = RulesetDelta.skeleton(want.script());
        Set<String> removals = new HashSet<>(inTable);
        removals.removeAll(want.allowedAddresses());
        Set<String> held = new HashSet<>();
        for (String a : removals) {
            if (inUse.test(a)) {
                held.add(a);
            }
        }
        if (!held.isEmpty()) {
            Instant now = Instant.now();
            if (heldSince == null) {
                heldSince = now;
            }
            if (Duration.between(heldSince, now).compareTo(wait) >= 0) {
                LOG.warn("edge {}: ruleset r{} cuts off {} (still on WireGuard and desired here) after {}; applying it anyway", edgeId,
                        want.revision(), held, wait);
                held.clear();
            }
        }
        if (appliedSkeleton == null || drift != null || !skeleton.equals(appliedSkeleton)) {
            if (!held.isEmpty() && drift == null) {
                return Optional.empty(); // the whole table would go: wait for the peers it cuts off
            }
            heldSince = null;
            String reason = drift != null ? drift : appliedSkeleton == null ? "first ruleset r" + want.revision()
                    : "ruleset r" + want.revision() + " replaces r" + appliedRevision;
            return Optional.of(new Plan(want.script(), reason, true, want.allowedAddresses(), Set.of(), 0, Map.of(), Map.of()));
        }
        Set<String> add = new HashSet<>(want.allowedAddresses());
        add.removeAll(inTable);
        Set<String> remove = new HashSet<>(removals);
        remove.removeAll(held);
        if (held.isEmpty()) {
            heldSince = null;
        }
        // Per set: what to add and remove; an address still in use stays in every set until its peer is gone.
        Set<String> heldCanonical = RulesetDelta.canonical(held);
        Map<String, Set<String>> setAdds = new TreeMap<>();
        Map<String, Set<String>> setRemoves = new TreeMap<>();
        desiredSets(want).forEach((set, elements) -> {
            Set<String> now = setsInTable.getOrDefault(set, Set.of());
            Set<String> plus = new TreeSet<>(elements);
            plus.removeAll(now);
            Set<String> minus = new TreeSet<>(now);
            minus.removeAll(elements);
            minus.removeAll(heldCanonical);
            if (!plus.isEmpty()) {
                setAdds.put(set, plus);
            }
            if (!minus.isEmpty()) {
                setRemoves.put(set, minus);
            }
        });
        String script = RulesetDelta.elements(want, setAdds, setRemoves);
        if (script == null) {
            return Optional.empty();
        }
        return Optional.of(new Plan(script, "ruleset r" + want.revision(), false, add, remove, held.size(), setAdds, setRemoves));
    }

    private Map<String, Set<String>> desiredSets(DesiredRuleset want) {
        if (!want.sha256().equals(parsedSha)) {
            desiredSets = RulesetDelta.setsOf(want.script());
            parsedSha = want.sha256();
        }
        return desiredSets;
    }

    /**
     * Applies a plan in one nft transaction; an element change nft refuses falls back to replacing
     * the table. A ruleset nft refuses leaves the table as it was (nft applies a file as a whole) and
     * is reported: a log line, the refused-rulesets metric, and a refused RulesetApplied.
     */
    public void apply(Plan plan) {
        DesiredRuleset want = desired;
        try {
            applyOrFallBack(plan, want);
        } catch (FirewallException e) {
            refusedSha = want.sha256();
            refusedCount.increment();
            listener.ruleset(want, false, e.getMessage(), Instant.now());
            throw new FirewallException("ruleset r" + want.revision() + " refused, the previous one stays in force: " + e.getMessage());
        }
        refusedSha = null;
        appliedCount.increment();
        listener.ruleset(want, true, plan.reason(), Instant.now());
        recordApplied(plan, want);
    }

    private void applyOrFallBack(Plan plan, DesiredRuleset want) {
        if (plan.wholeTable()) {
            firewall.apply(plan.script());
            inTable = Set.copyOf(want.allowedAddresses());
            setsInTable = desiredSets(want);
        } else {
            try {
                firewall.apply(plan.script());
                Set<String> now = new HashSet<>(inTable);
                now.addAll(plan.add());
                now.removeAll(plan.remove());
                inTable = Set.copyOf(now);
                Map<String, Set<String>> sets = new TreeMap<>();
                setsInTable.forEach((set, elements) -> sets.put(set, new TreeSet<>(elements)));
                plan.setAdds().forEach((set, elements) -> sets.computeIfAbsent(set, k -> new TreeSet<>()).addAll(elements));
                plan.setRemoves().forEach((set, elements) -> sets.computeIfAbsent(set, k -> new TreeSet<>()).removeAll(elements));
                setsInTable = Map.copyOf(sets);
            } catch (FirewallException e) {
                if (plan.heldBack() > 0) {
                    throw e;
                }
                LOG.warn("edge {}: element changes of r{} refused ({}); replacing the table", edgeId, want.revision(), e.getMessage());
                firewall.apply(want.script());
                inTable = Set.copyOf(want.allowedAddresses());
                setsInTable = desiredSets(want);
            }
        }
    }

    private void recordApplied(Plan plan, DesiredRuleset want) {
        boolean drift = plan.reason().startsWith("table ");
        appliedSkeleton = RulesetDelta.skeleton(want.script());
        appliedRevision = want.revision();
        if (plan.wholeTable() || appliedListing == null) {
            // What the table looks like right after a whole-table apply (rare: first ruleset, new rules, drift):
            // what full passes compare with. Element changes do not change it.
            appliedListing = null;
            try {
                recordListing();
            } catch (FirewallException e) {
                LOG.warn("edge {}: cannot read table {} after applying it ({}); trying again after the pass", edgeId, want.table(),
                        e.getMessage());
            }
        }
        if (drift) {
            drifts.incrementAndGet();
            LOG.warn("edge {}: {}; ruleset r{} applied again", edgeId, plan.reason(), want.revision());
        } else if (plan.wholeTable()) {
            LOG.info("edge {}: {}: table replaced ({} addresses let in) in one nft transaction", edgeId, plan.reason(), inTable.size());
        } else {
            LOG.debug("edge {}: {}: {} addresses added, {} removed{}", edgeId, plan.reason(), plan.add().size(), plan.remove().size(),
                    plan.heldBack() == 0 ? "" : ", " + plan.heldBack() + " held until their peers leave WireGuard");
        }
    }

    /**
     * Reads the table as the last whole-table apply left it (without set elements), if that has not
     * been read yet: what later full passes compare with. Element changes need no new listing:
     * elements are compared with what the agent put in, so a 10,000-element table is not listed after
     * every peer.
     */
    public void recordListing() {
        if (appliedSkeleton != null && appliedListing == null) {
            appliedListing = firewall.list(desired.table()).map(l -> RulesetDelta.skeleton(DesiredRuleset.normalize(l))).orElse("");
        }
    }

    /** Whether the table lets {@code allowedIps} in; true when firewall-sync publishes nothing for this edge. */
    public boolean allows(List<String> allowedIps) {
        if (desired == null) {
            return true; // no ruleset for this edge: no ordering to keep
        }
        for (String ip : allowedIps) {
            String address = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
            if (!inTable.contains(address)) {
                return false;
            }
        }
        return true;
    }

    /** Whether something waits for a peer to leave WireGuard: passes are due even without events. */
    public boolean holding() {
        return heldSince != null;
    }

    public long drifts() {
        return drifts.get();
    }
}
