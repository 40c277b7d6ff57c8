package dev.wgcp.edge.metrics;

import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Prometheus metrics ({@code GET /prometheus}), each tagged with the interface:
 * {@code wgcp_agent_peers{state=desired|live}}, {@code wgcp_agent_peer_handshake_age_seconds{peer_id,
 * peer_name}}, {@code wgcp_agent_peers_stale} (no handshake for longer than WireGuard's
 * RejectAfterTime, 180 s), {@code wgcp_agent_reconcile_duration_seconds{kind=full|events}},
 * {@code wgcp_agent_apply_duration_seconds}, {@code wgcp_agent_drift_repairs_total{what}} and
 * {@code wgcp_agent_consumer_lag_records}.
 */
public class AgentMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMetrics.class);
    /** WireGuard's RejectAfterTime: with no handshake for this long, no session key is valid. */
    public static final long STALE_AFTER_SECONDS = 180;

    private final MeterRegistry registry;
    private final String interfaceName;
    private final DesiredState desired;
    private final Tags tags;
    private final MultiGauge handshakeAge;
    private final AtomicInteger stale = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger withheld = new AtomicInteger();
    private final Timer applyTime;
    private final Timer fullPass;
    private final Timer eventPass;
    private Set<String> staleKeys = new HashSet<>();

    public AgentMetrics(MeterRegistry registry, String edgeId, String interfaceName, DesiredState desired) {
        this.registry = registry;
        this.interfaceName = interfaceName;
        this.desired = desired;
        this.tags = Tags.of("interface", interfaceName, "edge", edgeId);
        Gauge.builder("wgcp.agent.peers", desired, d -> d.peers().size()).tags(tags.and("state", "desired"))
                .description("Peers the registry wants on the interface").register(registry);
        Gauge.builder("wgcp.agent.peers", live, AtomicInteger::get).tags(tags.and("state", "live"))
                .description("Peers on the interface at the last read").register(registry);
        Gauge.builder("wgcp.agent.peers.stale", stale, AtomicInteger::get).tags(tags)
                .description("Peers whose last handshake is older than 180 s (WireGuard's RejectAfterTime)").register(registry);
        Gauge.builder("wgcp.agent.removals.withheld", withheld, AtomicInteger::get).tags(tags)
                .description("Removals of unknown peers the last full pass refused as too many to believe (the desired state came up"
                        + " empty or short); 0 when none").register(registry);
        this.handshakeAge = MultiGauge.builder("wgcp.agent.peer.handshake.age").baseUnit("seconds").tags(tags)
                .description("Seconds since the peer's latest handshake on this interface").register(registry);
        this.applyTime = Timer.builder("wgcp.agent.apply.duration").tags(tags)
                .description("One batched WireGuard operation").register(registry);
        this.fullPass = Timer.builder("wgcp.agent.reconcile.duration").tags(tags.and("kind", "full"))
                .description("A reconcile pass").register(registry);
        this.eventPass = Timer.builder("wgcp.agent.reconcile.duration").tags(tags.and("kind", "events"))
                .description("A reconcile pass").register(registry);
    }

    public Timer applyTimer() {
        return applyTime;
    }

    public Timer passTimer(boolean full) {
        return full ? fullPass : eventPass;
    }

    /** Registers the consumer lag gauge of the agent's event follower. */
    public void consumerLag(java.util.function.DoubleSupplier lag) {
        Gauge.builder("wgcp.agent.consumer.lag", lag, java.util.function.DoubleSupplier::getAsDouble).strongReference(true).tags(tags)
                .baseUnit("records")
                .description("How far the agent's event follower is behind the topics' ends").register(registry);
    }

    /** How many removals of unknown peers the last full pass withheld as too many to believe (0: none). */
    public void removalsWithheld(int count) {
        withheld.set(count);
    }

    /** Counts what a full pass found different from the desired state (drift: made by hand, or by anything but the agent). */
    public void drift(List<PeerChange> repaired) {
        for (PeerChange c : repaired) {
            counter(category(c)).increment();
        }
    }

    public void firewallDrift() {
        counter("firewall-table").increment();
    }

    private Counter counter(String what) {
        return Counter.builder("wgcp.agent.drift.repairs").tags(tags.and("what", what))
                .description("Differences a full pass found and repaired").register(registry);
    }

    static String category(PeerChange c) {
        String reason = c.reason().toLowerCase(Locale.ROOT);
        if (c instanceof PeerChange.Remove) {
            return reason.contains("revoked") ? "revoked-peer" : reason.contains("not in the registry") ? "unknown-peer" : "foreign-peer";
        }
        if (reason.equals("missing")) {
            return "missing-peer";
        }
        return reason.startsWith("allowed-ips") ? "allowed-ips" : reason.startsWith("keepalive") ? "keepalive" : "other";
    }

    /** After each read of the interface: handshake ages by peer id and name, and which peers went stale. */
    public void observed(Map<String, LivePeer> peers, Instant now) {
        live.set(peers.size());
        List<MultiGauge.Row<?>> rows = new ArrayList<>(peers.size());
        Set<String> nowStale = new HashSet<>();
        for (LivePeer p : peers.values()) {
            if (p.latestHandshakeEpochSeconds() == 0) {
                continue; // never shook hands: no age to tell
            }
            var peerId = desired.peerIdOf(p.publicKey());
            if (peerId.isEmpty()) {
                continue;
            }
            long age = Math.max(0, now.getEpochSecond() - p.latestHandshakeEpochSeconds());
            rows.add(MultiGauge.Row.of(Tags.of("peer_id", peerId.get(), "peer_name", desired.nameOf(p.publicKey()).orElse("")), age));
            if (age > STALE_AFTER_SECONDS) {
                nowStale.add(p.publicKey());
                if (!staleKeys.contains(p.publicKey())) {
                    LOG.info("{}: peer {} ({}) is stale: last handshake {} s ago, over WireGuard's {} s", interfaceName,
                            peerId.get(), desired.nameOf(p.publicKey()).orElse("no name"), age, STALE_AFTER_SECONDS);
                }
            }
        }
        handshakeAge.register(rows, true);
        stale.set(nowStale.size());
        staleKeys = nowStale;
    }
}
