package dev.wgcp.firewall.messaging;

import dev.wgcp.firewall.config.FirewallEdgeProperties;
import dev.wgcp.firewall.persistence.WriterLeaseStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which edges this firewall-sync instance writes rulesets for: those whose lease it holds in the
 * database ({@code fw_edge_writer}), renewed every third of {@code wgcp.firewall.writer-lease} (10 s)
 * and taken over by another instance when it lapses (a crashed or stopped holder). Each revision is
 * handed out by the database to the holder only, so two instances never publish competing rulesets
 * under one revision, and a holder that lost its lease publishes nothing more.
 */
@Singleton
public class EdgeWriters {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeWriters.class);

    private final WriterLeaseStore store;
    private final TransactionOperations<Connection> tx;
    private final Duration lease;
    private final List<String> edges;
    private final String holder = hostname() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    /** Per edge held, until when (System.nanoTime()): a third of the lease before it lapses in the database. */
    private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();
    private volatile Runnable onAcquired = () -> { };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-writer-leases");
        t.setDaemon(true);
        return t;
    });

    public EdgeWriters(WriterLeaseStore store, TransactionOperations<Connection> tx, List<FirewallEdgeProperties> edges,
                       @Value("${wgcp.firewall.writer-lease:10s}") Duration lease, MeterRegistry meters) {
        if (lease.toMillis() < 3000) {
            throw new IllegalStateException("wgcp.firewall.writer-lease must be at least 3s (renewed every third of it), got " + lease);
        }
        this.store = store;
        this.tx = tx;
        this.lease = lease;
        this.edges = edges.stream().map(FirewallEdgeProperties::getId).sorted().toList();
        for (String edge : this.edges) {
            Gauge.builder("wgcp.firewall.edge.writer", this, w -> w.holds(edge) ? 1 : 0).tag("edge", edge)
                    .description("1 while this firewall-sync instance writes the edge's rulesets (holds its lease)").register(meters);
        }
    }

    /** Called (on the lease thread) when this instance takes an edge over: its ruleset is then due for a pass. */
    void onAcquired(Runnable onAcquired) {
        this.onAcquired = onAcquired;
    }

    @PostConstruct
    void start() {
        long every = lease.toMillis() / 3;
        timer.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        boolean acquired = false;
        for (String edge : edges) {
            long before = System.nanoTime();
            try {
                boolean held = Boolean.TRUE.equals(tx.executeWrite(status -> store.acquire(edge, holder, lease)));
                boolean had = holds(edge);
                if (held) {
                    heldUntil.put(edge, before + lease.toNanos() * 2 / 3);
                    if (!had) {
                        LOG.info("writing the rulesets of edge {} from now on (lease {}, holder {})", edge, lease, holder);
                        acquired = true;
                    }
                } else if (heldUntil.remove(edge) != null) {
                    LOG.warn("edge {}: another firewall-sync instance holds its lease now; this one stops writing its rulesets", edge);
                }
            } catch (RuntimeException e) {
                // Unrenewed, the local hold lapses by itself before the database's does.
                LOG.warn("cannot renew the lease on edge {}: {}", edge, e.getMessage());
            }
        }
        if (acquired) {
            onAcquired.run();
        }
    }

    /** Whether this instance writes {@code edgeId}'s rulesets now. */
    public boolean holds(String edgeId) {
        Long until = heldUntil.get(edgeId);
        return until != null && System.nanoTime() - until < 0;
    }

    /** The next revision for {@code edgeId} above {@code atLeast}, while the lease is held; empty when it is not. */
    OptionalLong nextRevision(String edgeId, long atLeast) {
        if (!holds(edgeId)) {
            return OptionalLong.empty();
        }
        return tx.executeWrite(status -> store.nextRevision(edgeId, holder, atLeast));
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        for (String edge : edges) {
            if (heldUntil.remove(edge) != null) {
                try {
                    tx.executeWrite(status -> {
                        store.release(edge, holder);
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.warn("cannot give up the lease on edge {} (it lapses in {}): {}", edge, lease, e.getMessage());
                }
            }
        }
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "firewall-sync";
        }
    }
}
