package dev.wgcp.tracker.service;

import dev.wgcp.tracker.persistence.EndpointStore.EdgeCount;
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
        this.online = MultiGauge.builder("wgcp_tracker_peers_online")
                .description("Active peers whose latest handshake with the edge is within the online window").register(registry);
        this.stale = MultiGauge.builder("wgcp_tracker_peers_stale")
                .description("Active peers that had a handshake with the edge, but none within the online window").register(registry);
        this.dnsPending = MultiGauge.builder("wgcp_tracker_ddns_pending")
                .description("DNS names whose latest endpoint the DNS server has not accepted yet").register(registry);
    }

    public void endpointChanged(String network, String edge, String kind) {
        afterCommit(() -> registry.counter("wgcp_tracker_endpoint_changes_total", "network", network, "edge", edge, "kind", kind).increment());
    }

    public void observationIgnored(String reason) {
        afterCommit(() -> registry.counter("wgcp_tracker_observations_ignored_total", "reason", reason).increment());
    }

    /** An observation of a peer not known here yet, held until its registration arrives. */
    public void observationHeld() {
        afterCommit(() -> registry.counter("wgcp_tracker_observations_held_total").increment());
    }

    /** Held observations of peers whose registration never arrived. */
    public void observationsDropped(int count) {
        registry.counter("wgcp_tracker_observations_ignored_total", "reason", "unknown_peer").increment(count);
    }

    public void churnFlagged(String network, String edge) {
        afterCommit(() -> registry.counter("wgcp_tracker_churn_flags_total", "network", network, "edge", edge).increment());
    }

    public void presenceChanged(String network, String to) {
        afterCommit(() -> registry.counter("wgcp_tracker_presence_transitions_total", "network", network, "to", to).increment());
    }

    public void dnsUpdate(String zone, String result) {
        registry.counter("wgcp_tracker_ddns_updates_total", "zone", zone, "result", result).increment();
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

    private void afterCommit(Runnable r) {
        tx.findTransactionStatus().ifPresentOrElse(status -> status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                r.run();
            }
        }), r);
    }
}
