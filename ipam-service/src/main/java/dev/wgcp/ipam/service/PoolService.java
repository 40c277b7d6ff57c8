package dev.wgcp.ipam.service;

import dev.wgcp.ipam.config.IpamSettings;
import dev.wgcp.ipam.domain.Cidr;
import dev.wgcp.ipam.domain.IndexRange;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore;
import dev.wgcp.ipam.persistence.FreeSpaceStore;
import dev.wgcp.ipam.persistence.PoolStore;
import dev.wgcp.ipam.persistence.ReservationStore;
import dev.wgcp.ipam.persistence.ReservationStore.Reservation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pool administration: create, resize, delete, reserve. Every change of a pool's addresses holds the
 * pool's row lock, so it never races an allocation.
 */
@Singleton
public class PoolService {

    private static final Logger LOG = LoggerFactory.getLogger(PoolService.class);

    /** What a new pool is made of. */
    public record NewPool(String name, String network, String cidr, String edge, String description, List<String> reserved) {
    }

    /** A pool with its use at one instant. */
    public record Usage(Pool pool, long allocated, long reserved, long quarantined, long free, Instant nextOutOfQuarantine,
                        boolean warning) {
    }

    private final PoolStore pools;
    private final FreeSpaceStore free;
    private final ReservationStore reservations;
    private final AllocationStore allocations;
    private final IpamSettings settings;
    private final Clock clock;

    public PoolService(PoolStore pools, FreeSpaceStore free, ReservationStore reservations, AllocationStore allocations,
                       IpamSettings settings, Clock clock) {
        this.pools = pools;
        this.free = free;
        this.reservations = reservations;
        this.allocations = allocations;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public Pool create(NewPool spec) {
        String name = Pool.checkName(spec.name());
        String network = Pool.checkNetwork(spec.network());
        if (spec.cidr() == null) {
            throw Refusal.invalid("pool " + name + " needs a cidr, e.g. 10.100.0.0/24 or fd00:100::/64");
        }
        Cidr cidr = Pool.parseCidr(spec.cidr());
        if (cidr.usableHosts() < 1) {
            throw Refusal.invalid(cidr + " has no usable host address: expected a prefix of at most /30 (IPv4) or /127 (IPv6)");
        }
        String edge = Pool.checkEdge(spec.edge() == null || spec.edge().isBlank() ? null : spec.edge());
        if (pools.find(name).isPresent()) {
            throw Refusal.conflict("pool " + name + " already exists; pick another name or change it with PATCH /v1/pools/" + name);
        }
        refuseOverlap(network, cidr, null);
        Instant now = clock.instant();
        Pool pool = new Pool(name, network, cidr, edge, spec.description(), 0, 0, now);
        pools.insert(pool, now);
        free.add(name, pool.usable(), false, now);
        for (String r : spec.reserved() == null ? List.<String>of() : spec.reserved()) {
            reserveLocked(pools.find(name).orElseThrow(), r, null, now); // with the counts of the reservations before it
        }
        LOG.info("pool {} created: {} in network {}{}", name, cidr, network, edge == null ? "" : ", segment of edge " + edge);
        return pools.find(name).orElseThrow();
    }

    private void refuseOverlap(String network, Cidr cidr, String except) {
        List<Pool> overlapping = pools.overlapping(network, cidr, except);
        if (!overlapping.isEmpty()) {
            throw Refusal.conflict(cidr + " overlaps pool " + overlapping.get(0).label() + " of network " + network
                    + ": the pools of a network must not overlap; pick a prefix outside it");
        }
    }

    @Transactional
    public List<Usage> list(String network) {
        Instant now = clock.instant();
        return pools.list(network).stream().map(p -> usage(p, now)).toList();
    }

    @Transactional
    public Usage get(String name) {
        return usage(find(name), clock.instant());
    }

    private Pool find(String name) {
        return pools.find(name).orElseThrow(() -> Refusal.notFound("no pool named " + name + "; GET /v1/pools lists them"));
    }

    private Pool lock(String name) {
        return pools.lock(name).orElseThrow(() -> Refusal.notFound("no pool named " + name + "; GET /v1/pools lists them"));
    }

    Usage usage(Pool p, Instant now) {
        FreeSpaceStore.Quarantine q = free.quarantine(p.name(), now);
        long freeNow = Math.max(0, p.size() - p.allocated() - p.reserved() - q.addresses());
        return new Usage(p, p.allocated(), p.reserved(), q.addresses(), freeNow, q.nextAvailableAt(),
                p.utilisation() >= settings.getWarnUtilisation());
    }

    /**
     * Changes the prefix length: growing adds the new addresses as fresh free space; shrinking is
     * refused while the removed range holds an allocation or a reservation.
     */
    @Transactional
    public Usage resize(String name, String cidrText, String description) {
        Pool pool = lock(name);
        Instant now = clock.instant();
        if (description != null) {
            pools.changeDescription(name, description, now);
        }
        if (cidrText != null) {
            Cidr next = Pool.parseCidr(cidrText);
            if (!next.network().equals(pool.cidr().network())) {
                throw Refusal.invalid("pool " + name + " is " + pool.cidr() + "; a pool is resized by its prefix length only, keeping its"
                        + " start: expected " + pool.cidr().network().getHostAddress() + "/<length>");
            }
            long oldLast = pool.cidr().lastIndex();
            long newLast = next.lastIndex();
            if (newLast > oldLast) {
                refuseOverlap(pool.networkId(), next, name);
                pools.changePrefix(name, next, now);
                free.add(name, new IndexRange(oldLast + 1, newLast), false, now);
                LOG.info("pool {} grown from {} to {}", name, pool.cidr(), next);
            } else if (newLast < oldLast) {
                if (newLast < 1) {
                    throw Refusal.invalid(next + " has no usable host address: expected a prefix of at most /30 (IPv4) or /127 (IPv6)");
                }
                IndexRange removed = new IndexRange(newLast + 1, oldLast);
                allocations.firstIn(name, removed).ifPresent(a -> {
                    throw Refusal.conflict("pool " + name + " cannot shrink to " + next + ": " + a.address() + " (and "
                            + (allocations.countIn(name, removed) - 1) + " more) in the range it would drop is allocated to peer "
                            + a.peerId() + "; only an empty range can be removed");
                });
                List<Reservation> reserved = reservations.overlapping(name, removed);
                if (!reserved.isEmpty()) {
                    throw Refusal.conflict("pool " + name + " cannot shrink to " + next + ": reservation " + reserved.get(0).id()
                            + " (" + describe(pool, reserved.get(0).range()) + ") lies in the range it would drop; delete it first");
                }
                pools.changePrefix(name, next, now);
                free.remove(name, removed);
                LOG.info("pool {} shrunk from {} to {}", name, pool.cidr(), next);
            }
        }
        return usage(pools.find(name).orElseThrow(), now);
    }

    @Transactional
    public void delete(String name) {
        Pool pool = lock(name);
        if (pool.allocated() > 0) {
            throw Refusal.conflict("pool " + name + " still has " + pool.allocated() + " allocated addresses; delete their peers first"
                    + " (GET /v1/allocations?pool=" + name + " lists them)");
        }
        pools.delete(name);
        LOG.info("pool {} ({}) deleted", name, pool.cidr());
    }

    @Transactional
    public List<Reservation> reservations(String name) {
        find(name);
        return reservations.list(name);
    }

    /** Reserves an address or a {@code first-last} range so it is never handed out. */
    @Transactional
    public Reservation reserve(String name, String addresses, String description) {
        return reserveLocked(lock(name), addresses, description, clock.instant());
    }

    Reservation reserveLocked(Pool pool, String addresses, String description, Instant now) {
        if (addresses == null || addresses.isBlank()) {
            throw Refusal.invalid("a reservation needs an address or a range, e.g. 10.100.0.1 or 10.100.0.1-10.100.0.9");
        }
        String[] ends = addresses.split("-", 2);
        long first = pool.indexOf(ends[0]);
        long last = ends.length == 2 ? pool.indexOf(ends[1]) : first;
        if (last < first) {
            throw Refusal.invalid("range " + addresses + " ends before it starts: expected first-last with first <= last");
        }
        IndexRange range = new IndexRange(first, last);
        allocations.firstIn(pool.name(), range).ifPresent(a -> {
            throw Refusal.conflict(a.address() + " is allocated to peer " + a.peerId() + "; an address in use cannot be reserved");
        });
        List<Reservation> overlapping = reservations.overlapping(pool.name(), range);
        if (!overlapping.isEmpty()) {
            throw Refusal.conflict(addresses + " overlaps reservation " + overlapping.get(0).id() + " ("
                    + describe(pool, overlapping.get(0).range()) + ")");
        }
        Reservation r = new Reservation(UUID.randomUUID(), pool.name(), range, description, now);
        reservations.insert(r);
        free.remove(pool.name(), range);
        pools.addCounts(pool.name(), 0, range.size());
        warnings(pool.name(), pool.allocated(), pool.reserved() + range.size(), pool.size());
        LOG.info("pool {}: {} reserved{}", pool.name(), describe(pool, range), description == null ? "" : " (" + description + ")");
        return r;
    }

    /** Lifts a reservation; its addresses become available after the quarantine (a server may still answer on them). */
    @Transactional
    public void unreserve(String name, UUID id) {
        Pool pool = lock(name);
        Reservation r = reservations.find(name, id)
                .orElseThrow(() -> Refusal.notFound("pool " + name + " has no reservation " + id));
        Instant now = clock.instant();
        reservations.delete(id);
        free.add(name, r.range(), true, now.plus(settings.getQuarantine()));
        pools.addCounts(name, 0, -r.range().size());
        warnings(name, pool.allocated(), pool.reserved() - r.range().size(), pool.size());
        LOG.info("pool {}: reservation of {} lifted; the addresses are in quarantine until {}", name, describe(pool, r.range()),
                now.plus(settings.getQuarantine()));
    }

    static String describe(Pool pool, IndexRange range) {
        String first = pool.address(range.first()).getHostAddress();
        return range.first() == range.last() ? first : first + "-" + pool.address(range.last()).getHostAddress();
    }

    /** Warns once when a pool crosses the threshold upwards, and says so when it drops below again. */
    void warnings(String name, long allocated, long reserved, long size) {
        double used = size == 0 ? 1.0 : (double) (allocated + reserved) / size;
        if (used >= settings.getWarnUtilisation()) {
            if (pools.setWarned(name, true)) {
                LOG.warn("pool {} is {}% used ({} allocated, {} reserved of {} addresses), at or above the warning threshold of {}%:"
                                + " grow it (PATCH /v1/pools/{}), add a pool to its network, or delete unused peers before it runs out",
                        name, Math.round(used * 1000) / 10.0, allocated, reserved, size, Math.round(settings.getWarnUtilisation() * 1000) / 10.0,
                        name);
            }
        } else if (pools.setWarned(name, false)) {
            LOG.info("pool {} is below its warning threshold again ({}% used)", name, Math.round(used * 1000) / 10.0);
        }
    }
}
