package dev.wgcp.tracker.service;

import dev.wgcp.tracker.persistence.EndpointStore.EdgeCount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * endpoint-tracker's metrics. Counters move when the transaction that made the change commits, so a
 * batch retried after a failure is not counted twice.
 */
@Singleton
public class TrackerMetrics {

    private final MeterRegistry registry;
    private final TransactionOperations<Connection> tx;
    private final MultiGauge online;
    private final MultiGauge stale;
    private final MultiGauge dnsPending;

    public TrackerMetrics(MeterRegistry registry, TransactionOperations<Connection> tx) {
        this.registry = registry;
        this.tx = tx;
        this.online = MultiGauge.builder("wgcp.tracker.peers.online")
                .description("Active peers whose latest handshake with the edge is within the online window").register(registry);
        this.stale = MultiGauge.builder("wgcp.tracker.peers.stale")
                .description("Active peers that had a handshake with the edge, but none within the online window").register(registry);
        this.dnsPending = MultiGauge.builder("wgcp.tracker.ddns.pending")
                .description("DNS names whose latest endpoint the DNS server has not accepted yet").register(registry);
    }

    public void endpointChanged(String network, String edge, String kind) {
        afterCommit(() -> count("wgcp.tracker.endpoint.changes", "Endpoint changes (first seen, roams, NAT rebindings) by network, edge and kind", "network", network, "edge", edge, "kind", kind));
    }

    public void observationIgnored(String reason) {
        afterCommit(() -> count("wgcp.tracker.observations.ignored", IGNORED, "reason", reason));
    }

    /** An observation of a peer not known here yet, held until its registration arrives. */
    public void observationHeld() {
        afterCommit(() -> count("wgcp.tracker.observations.held", "Observations of peers not known yet, held until their registration arrives"));
    }

    /** Held observations of peers whose registration never arrived. */
    public void observationsDropped(int count) {
        Counter.builder("wgcp.tracker.observations.ignored").description(IGNORED).tag("reason", "unknown_peer").register(registry).increment(count);
    }

    public void churnFlagged(String network, String edge) {
        afterCommit(() -> count("wgcp.tracker.churn.flags", "Peers flagged for suspicious endpoint churn", "network", network, "edge", edge));
    }

    public void presenceChanged(String network, String to) {
        afterCommit(() -> count("wgcp.tracker.presence.transitions", "Peers coming online or going stale, by network", "network", network, "to", to));
    }

    public void dnsUpdate(String zone, String result) {
        count("wgcp.tracker.ddns.updates", "DNS updates sent, by zone and result (applied, refused, unreachable)", "zone", zone, "result", result);
    }

    public void presence(List<EdgeCount> counts) {
        online.register(counts.stream().map(c -> MultiGauge.Row.of(Tags.of("network", c.networkId(), "edge", c.edgeId()), c.online()))
                .toList(), true);
        stale.register(counts.stream().map(c -> MultiGauge.Row.of(Tags.of("network", c.networkId(), "edge", c.edgeId()), c.stale()))
                .toList(), true);
    }

    public void dnsPending(Map<String, Long> byZone) {
        dnsPending.register(byZone.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("zone", e.getKey()), e.getValue())).toList(),
                true);
    }

    private static final String IGNORED = "Observations ignored, by reason (revoked, key_mismatch, unknown_peer, malformed_endpoint)";

    private void count(String name, String description, String... tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }

    private void afterCommit(Runnable r) {
        tx.findTransactionStatus().ifPresentOrElse(status -> status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                r.run();
            }
        }), r);
    }
}
