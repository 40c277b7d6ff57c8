package dev.wgcp.ipam.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool usage as metrics, read every {@code wgcp.ipam.metrics-interval}:
 * {@code wgcp_ipam_pool_addresses{pool,network,state=allocated|reserved|quarantined|free}},
 * {@code wgcp_ipam_pool_utilisation{pool,network}} (0..1, allocated plus reserved) and
 * {@code wgcp_ipam_pool_warning{pool,network}} (1 at or above the warning threshold), for an alert
 * before a pool runs out.
 */
@Context
public class PoolMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PoolMetrics.class);

    private final PoolService pools;
    private final MultiGauge addresses;
    private final MultiGauge utilisation;
    private final MultiGauge warning;

    public PoolMetrics(PoolService pools, MeterRegistry registry) {
        this.pools = pools;
        this.addresses = MultiGauge.builder("wgcp.ipam.pool.addresses").description("Addresses of a pool by state").register(registry);
        this.utilisation = MultiGauge.builder("wgcp.ipam.pool.utilisation")
                .description("Share of a pool allocated or reserved (0..1)").register(registry);
        this.warning = MultiGauge.builder("wgcp.ipam.pool.warning")
                .description("1 when a pool is at or above wgcp.ipam.warn-utilisation").register(registry);
        refresh();
    }

    @Scheduled(fixedDelay = "${wgcp.ipam.metrics-interval:15s}", initialDelay = "${wgcp.ipam.metrics-interval:15s}")
    public void refresh() {
        List<PoolService.Usage> usage;
        try {
            usage = pools.list(null);
        } catch (RuntimeException e) {
            LOG.warn("pool usage not read for the metrics this time: {}", e.getMessage());
            return;
        }
        List<MultiGauge.Row<?>> a = new ArrayList<>();
        List<MultiGauge.Row<?>> u = new ArrayList<>();
        List<MultiGauge.Row<?>> w = new ArrayList<>();
        for (PoolService.Usage p : usage) {
            Tags tags = Tags.of("pool", p.pool().name(), "network", p.pool().networkId());
            a.add(MultiGauge.Row.of(tags.and("state", "allocated"), p.allocated()));
            a.add(MultiGauge.Row.of(tags.and("state", "reserved"), p.reserved()));
            a.add(MultiGauge.Row.of(tags.and("state", "quarantined"), p.quarantined()));
            a.add(MultiGauge.Row.of(tags.and("state", "free"), (double) p.free()));
            u.add(MultiGauge.Row.of(tags, p.pool().utilisation()));
            w.add(MultiGauge.Row.of(tags, p.warning() ? 1 : 0));
        }
        addresses.register(a, true);
        utilisation.register(u, true);
        warning.register(w, true);
    }
}
