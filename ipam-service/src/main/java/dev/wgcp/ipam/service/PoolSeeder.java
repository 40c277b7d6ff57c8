package dev.wgcp.ipam.service;

import dev.wgcp.ipam.config.PoolProperties;
import dev.wgcp.ipam.domain.Cidr;
import dev.wgcp.ipam.domain.IndexRange;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore;
import dev.wgcp.ipam.persistence.FreeSpaceStore;
import dev.wgcp.ipam.persistence.PoolStore;
import dev.wgcp.ipam.persistence.ReservationStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured pools ({@code wgcp.pools.*}) that the database does not have yet, before
 * any event is consumed. After that the API owns them: a configured pool that differs from the
 * database's is reported, not changed. A pool whose addresses were handed out before pools lived
 * in the database (version 0.1 configuration) gets its free space computed from its allocations.
 */
@Context
public class PoolSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSeeder.class);

    private final List<PoolProperties> configured;
    private final PoolService poolService;
    private final PoolStore pools;
    private final AllocationStore allocations;
    private final ReservationStore reservations;
    private final FreeSpaceStore free;
    private final Clock clock;
    private final TransactionOperations<java.sql.Connection> tx;
    private final dev.wgcp.kit.persistence.StartupLock startupLock;

    public PoolSeeder(List<PoolProperties> configured, PoolService poolService, PoolStore pools, AllocationStore allocations,
                      ReservationStore reservations, FreeSpaceStore free, Clock clock, TransactionOperations<java.sql.Connection> tx,
                      dev.wgcp.kit.persistence.StartupLock startupLock) {
        this.startupLock = startupLock;
        this.tx = tx;
        this.configured = configured;
        this.poolService = poolService;
        this.pools = pools;
        this.allocations = allocations;
        this.reservations = reservations;
        this.free = free;
        this.clock = clock;
    }

    @PostConstruct
    void seed() {
        for (PoolProperties p : configured) {
            try {
                tx.executeWrite(status -> {
                    startupLock.hold("ipam-pool-seeding"); // instances starting together take turns
                    seed(p);
                    return null;
                });
            } catch (Refusal e) {
                throw new IllegalStateException("wgcp.pools." + p.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** One configured pool, in one transaction. */
    private void seed(PoolProperties p) {
        if (p.getNetwork() == null || p.getCidr() == null) {
            throw Refusal.invalid("needs network and cidr, e.g. network: home, cidr: 10.100.0.0/24");
        }
        var existing = pools.find(p.getName());
        if (existing.isPresent()) {
            Pool pool = existing.get();
            Cidr cidr = Pool.parseCidr(p.getCidr());
            if (!cidr.equals(pool.cidr()) || !pool.networkId().equals(p.getNetwork())) {
                LOG.warn("wgcp.pools.{} says {} in network {}, the database has {} in network {}; the database's is kept"
                        + " (change pools with the API: PATCH /v1/pools/{})", p.getName(), cidr, p.getNetwork(), pool.cidr(),
                        pool.networkId(), p.getName());
            }
            return;
        }
        poolService.create(new PoolService.NewPool(p.getName(), p.getNetwork(), p.getCidr(), p.getEdge(), p.getDescription(),
                p.getReserved()));
        List<Long> used = allocations.indexes(p.getName());
        if (!used.isEmpty()) {
            adopt(pools.lock(p.getName()).orElseThrow(), used);
        }
    }

    /** Free space of a pool with allocations made before it was in the database: its usable range minus those and the reservations. */
    private void adopt(Pool pool, List<Long> used) {
        List<IndexRange> taken = new ArrayList<>();
        used.forEach(i -> taken.add(IndexRange.of(i)));
        reservations.list(pool.name()).forEach(r -> taken.add(r.range()));
        taken.sort(java.util.Comparator.comparingLong(IndexRange::first));
        free.clear(pool.name());
        long next = pool.usable().first();
        for (IndexRange t : taken) {
            if (t.first() > next) {
                free.add(pool.name(), new IndexRange(next, Math.min(t.first() - 1, pool.usable().last())), false, clock.instant());
            }
            next = Math.max(next, t.last() + 1);
        }
        if (next <= pool.usable().last()) {
            free.add(pool.name(), new IndexRange(next, pool.usable().last()), false, clock.instant());
        }
        pools.setCounts(pool.name(), used.size(), pool.reserved());
        LOG.info("pool {}: {} addresses allocated before it was in the database adopted", pool.name(), used.size());
    }
}
