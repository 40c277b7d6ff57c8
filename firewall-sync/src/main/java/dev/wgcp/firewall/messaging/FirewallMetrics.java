package dev.wgcp.firewall.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * firewall-sync's metrics, per edge: how long compiling takes, how many rulesets were published,
 * and whether the edge's agent acknowledged the ruleset it should have (the alert "an edge is not
 * applying its rulesets" reads {@code wgcp_firewall_edge_in_sync} and the two revisions).
 */
final class FirewallMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> compile = new ConcurrentHashMap<>();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();

    FirewallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the edge's gauges, read from the publisher's state when scraped. */
    void edge(String edgeId, Function<String, Long> desiredRevision, Function<String, Long> ackedRevision,
              Function<String, Boolean> inSync) {
        Gauge.builder("wgcp.firewall.ruleset.revision", () -> desiredRevision.apply(edgeId)).tag("edge", edgeId).tag("state", "desired")
                .description("Revision of the edge's ruleset: the one published (desired) and the one its agent applied (acked)")
                .register(registry);
        Gauge.builder("wgcp.firewall.ruleset.revision", () -> ackedRevision.apply(edgeId)).tag("edge", edgeId).tag("state", "acked")
                .description("Revision of the edge's ruleset: the one published (desired) and the one its agent applied (acked)")
                .register(registry);
        Gauge.builder("wgcp.firewall.edge.in.sync", () -> inSync.apply(edgeId) ? 1 : 0).tag("edge", edgeId)
                .description("1 when the edge's agent has applied the ruleset it should have, else 0 (behind, or its ruleset refused)")
                .register(registry);
    }

    void compiled(String edgeId, long nanos) {
        compile.computeIfAbsent(edgeId, e -> Timer.builder("wgcp.firewall.compile.duration").tag("edge", e)
                .description("Time to compile an edge's ruleset").register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** An acknowledgement naming {@code edgeId} that its key did not sign (another edge's, a forgery, or unsigned). */
    void ackRefused(String edgeId, String reason) {
        Counter.builder("wgcp.firewall.acks.refused").tag("edge", edgeId).tag("reason", reason)
                .description("Ruleset acknowledgements ignored because the edge they name did not sign them").register(registry).increment();
    }

    void published(String edgeId) {
        published.computeIfAbsent(edgeId, e -> Counter.builder("wgcp.firewall.rulesets.published").tag("edge", e)
                .description("Rulesets published for the edge (each a change)").register(registry)).increment();
    }
}
