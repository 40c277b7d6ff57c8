package dev.wgcp.ipam.service;

import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AddressReleased;
import dev.wgcp.events.v1.AllocationFailureReason;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.ipam.config.IpamSettings;
import dev.wgcp.ipam.domain.IndexRange;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore;
import dev.wgcp.ipam.persistence.AllocationStore.Allocation;
import dev.wgcp.ipam.persistence.FreeSpaceStore;
import dev.wgcp.ipam.persistence.PeerStore;
import dev.wgcp.ipam.persistence.PoolStore;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each registered peer one address per address family of its network, exactly once, and
 * releases them into quarantine when the peer is deleted. Each change and its event commit together
 * (outbox); the pools' row locks serialize changes of one pool.
 */
@Singleton
public class AllocationService {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationService.class);

    private final PoolStore pools;
    private final FreeSpaceStore free;
    private final AllocationStore allocations;
    private final PeerStore peers;
    private final PoolService poolService;
    private final Outbox outbox;
    private final IpamSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final EventMetadataFactory metadata;
    /** Time to allocate one peer's addresses (pool locks, free-space look-ups, inserts, the event): what the benchmark reads. */
    private final io.micrometer.core.instrument.Timer allocationTime;

    public AllocationService(PoolStore pools, FreeSpaceStore free, AllocationStore allocations, PeerStore peers, PoolService poolService,
                             Outbox outbox, IpamSettings settings, Clock clock, MeterRegistry meters) {
        this.pools = pools;
        this.free = free;
        this.allocations = allocations;
        this.peers = peers;
        this.poolService = poolService;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.metadata = new EventMetadataFactory("ipam-service", clock);
        this.allocationTime = io.micrometer.core.instrument.Timer.builder("wgcp.ipam.allocation.duration")
                .description("Time to allocate one peer's addresses in the database, event included").register(meters);
    }

    /**
     * Allocates the peer's addresses and emits AddressAssigned in the same transaction. A redelivered
     * or replayed PeerRegistered finds the allocation made before and changes nothing; the
     * registration of a peer deleted since gets nothing.
     */
    @Transactional
    public List<Allocation> onPeerRegistered(PeerRegistered event) {
        UUID peerId = UUID.fromString(event.getPeerId());
        String network = event.getNetworkId();
        String eventId = event.getMetadata().getEventId();
        Instant now = clock.instant();
        Optional<PeerStore.KnownPeer> known = peers.find(peerId);
        if (known.isPresent() && known.get().removed()) {
            LOG.info("peer {} was deleted; its replayed registration (event {}) gets no address", peerId, eventId);
            return List.of();
        }
        peers.registered(peerId, network, event.getName(), event.getTags(), event.getMetadata().getRevision(), now);
        List<Allocation> existing = allocations.findByPeer(peerId);
        if (!existing.isEmpty()) {
            if (!allocations.announced(peerId)) {
                LOG.info("peer {} registered with addresses imported before: announcing {}", peerId, addresses(existing));
                announce(peerId, network, existing, now);
            } else {
                LOG.debug("peer {} already has {} (event {} redelivered)", peerId, existing, eventId);
            }
            return existing;
        }
        long started = System.nanoTime();
        try {
            return allocate(peerId, network, event.getEdgeId(), eventId, now);
        } finally {
            allocationTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private List<Allocation> allocate(UUID peerId, String network, String wantedEdge, String eventId, Instant now) {
        List<Pool> networkPools = pools.lockNetwork(network);
        if (networkPools.isEmpty()) {
            return failed(peerId, network, AllocationFailureReason.NO_POOL, "network " + network
                    + " has no address pool; create one with POST /v1/pools {\"name\":\"" + network + "-v4\",\"network\":\"" + network
                    + "\",\"cidr\":\"10.100.0.0/24\"}");
        }
        Map<String, List<Pool>> segments = networkPools.stream().filter(p -> p.edgeId() != null)
                .collect(Collectors.groupingBy(Pool::edgeId, java.util.TreeMap::new, Collectors.toList()));
        List<Pool> shared = networkPools.stream().filter(p -> p.edgeId() == null).toList();
        String edge;
        if (wantedEdge != null && segments.containsKey(wantedEdge)) {
            edge = wantedEdge;
        } else if (wantedEdge != null && shared.isEmpty()) {
            return failed(peerId, network, AllocationFailureReason.NO_POOL, "network " + network + " has no pool for edge " + wantedEdge
                    + ": its pools are segments of edges " + String.join(", ", segments.keySet()) + "; register the peer on one of those"
                    + " edges, or create a pool for " + wantedEdge);
        } else if (wantedEdge == null && !segments.isEmpty()) {
            edge = roomiest(segments);
        } else {
            edge = null;
        }
        List<Pool> candidates = edge == null ? shared : segments.get(edge);
        List<Allocation> made = new ArrayList<>();
        List<String> full = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            List<Pool> family = candidates.stream().filter(p -> p.isIpv6() == ipv6).toList();
            if (family.isEmpty()) {
                family = shared.stream().filter(p -> p.isIpv6() == ipv6).toList();
            }
            if (family.isEmpty()) {
                continue;
            }
            Optional<Allocation> a = Optional.empty();
            for (Pool pool : family) {
                a = takeFrom(pool, peerId, now);
                if (a.isPresent()) {
                    break;
                }
            }
            if (a.isPresent()) {
                made.add(a.get());
            } else {
                for (Pool pool : family) {
                    FreeSpaceStore.Quarantine q = free.quarantine(pool.name(), now);
                    full.add(pool.label() + (q.addresses() == 0 ? "" : ", " + q.addresses() + " in quarantine until " + q.nextAvailableAt()
                            + " or later"));
                }
                LOG.error("no {} address left for peer {} of network {} (event {}): {} exhausted", ipv6 ? "IPv6" : "IPv4", peerId, network,
                        eventId, String.join("; ", full));
            }
        }
        if (made.isEmpty()) {
            return failed(peerId, network, AllocationFailureReason.POOL_EXHAUSTED, "every address pool of network " + network
                    + (edge == null ? "" : " for edge " + edge) + " is exhausted: " + String.join("; ", full)
                    + "; grow a pool (PATCH /v1/pools/<name>), add one, or delete peers that are no longer used");
        }
        announce(peerId, network, made, now);
        LOG.info("peer {} in network {} gets {}{} (event {})", peerId, network, addresses(made), edge == null ? "" : " on edge " + edge, eventId);
        return made;
    }

    /** The edge whose segments have the most addresses left. */
    private static String roomiest(Map<String, List<Pool>> segments) {
        return segments.entrySet().stream()
                .max(Comparator.<Map.Entry<String, List<Pool>>>comparingLong(e -> e.getValue().stream()
                                .filter(p -> !p.isIpv6()).mapToLong(p -> p.size() - p.allocated() - p.reserved()).sum())
                        .thenComparingLong(e -> e.getValue().stream().mapToLong(p -> p.size() - p.allocated() - p.reserved()).sum())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }

    private Optional<Allocation> takeFrom(Pool pool, UUID peerId, Instant now) {
        Optional<Long> index = free.take(pool.name(), now);
        if (index.isEmpty()) {
            return Optional.empty();
        }
        Allocation a = new Allocation(pool.name(), index.get(), pool.address(index.get()).getHostAddress(), peerId, pool.networkId());
        allocations.insert(a, now, true, null, null, null);
        pools.addCounts(pool.name(), 1, 0);
        poolService.warnings(pool.name(), pool.allocated() + 1, pool.reserved(), pool.size());
        return Optional.of(a);
    }

    /** Emits AddressAssigned with all of the peer's addresses. */
    void announce(UUID peerId, String network, List<Allocation> held, Instant now) {
        long revision = peers.nextAddressRevision(peerId, network, now);
        String edge = null;
        for (Allocation a : held) {
            Pool pool = pools.find(a.pool()).orElseThrow();
            if (pool.edgeId() != null) {
                edge = pool.edgeId();
            }
        }
        outbox.append(Topics.ADDRESSES, peerId.toString(), AddressAssigned.newBuilder()
                .setMetadata(metadata.create("ipam-service", revision))
                .setPeerId(peerId.toString())
                .setNetworkId(network)
                .setPool(held.stream().map(Allocation::pool).collect(Collectors.joining(",")))
                .setIpv4Address(family(held, false))
                .setIpv6Address(family(held, true))
                .setEdgeId(edge)
                .build());
        allocations.markAnnounced(peerId);
    }

    private static String family(List<Allocation> held, boolean ipv6) {
        return held.stream().map(Allocation::address).filter(a -> a.contains(":") == ipv6).findFirst().orElse(null);
    }

    private static String addresses(List<Allocation> held) {
        return held.stream().map(Allocation::address).collect(Collectors.joining(" "));
    }

    /** Tells the registry (and operators) why the peer got no address, in the allocation's transaction. */
    private List<Allocation> failed(UUID peerId, String network, AllocationFailureReason reason, String message) {
        LOG.error("peer {}: {}", peerId, message);
        io.micrometer.core.instrument.Counter.builder("wgcp.ipam.allocation.failures").tag("reason",
                reason.name().toLowerCase(java.util.Locale.ROOT)).description("Peers that got no address, by reason (pool exhausted, no pool)")
                .register(meters).increment();
        outbox.append(Topics.ADDRESSES, peerId.toString(), AddressAllocationFailed.newBuilder()
                .setMetadata(metadata.create("ipam-service", 1))
                .setPeerId(peerId.toString())
                .setNetworkId(network)
                .setReason(reason)
                .setMessage(message)
                .build());
        return List.of();
    }

    /** Name and tags of a peer changed: what the export shows. */
    @Transactional
    public void onPeerUpdated(PeerUpdated event) {
        peers.updated(UUID.fromString(event.getPeerId()), event.getName(), event.getTags(), event.getMetadata().getRevision(),
                clock.instant());
    }

    /**
     * The peer was deleted: its addresses go back to their pools, in quarantine until now plus
     * {@code wgcp.ipam.quarantine}, and AddressReleased says so. A rotated key keeps its address:
     * only deletion releases. Redelivered, it finds nothing to release.
     */
    @Transactional
    public void onPeerRemoved(PeerRemoved event) {
        UUID peerId = UUID.fromString(event.getPeerId());
        Instant now = clock.instant();
        peers.removed(peerId, event.getNetworkId(), event.getMetadata().getRevision(), now);
        List<Allocation> held = allocations.findByPeer(peerId);
        if (held.isEmpty()) {
            return;
        }
        Map<String, Pool> locked = new LinkedHashMap<>();
        held.stream().map(Allocation::pool).distinct().sorted().forEach(name -> pools.lock(name).ifPresent(p -> locked.put(name, p)));
        Instant until = now.plus(settings.getQuarantine());
        allocations.deleteByPeer(peerId);
        for (Allocation a : held) {
            Pool pool = locked.get(a.pool());
            if (pool == null) {
                continue;
            }
            free.add(a.pool(), IndexRange.of(a.hostIndex()), true, until);
            pools.addCounts(a.pool(), -1, 0);
            poolService.warnings(a.pool(), pool.allocated() - 1, pool.reserved(), pool.size());
        }
        long revision = peers.nextAddressRevision(peerId, event.getNetworkId(), now);
        outbox.append(Topics.ADDRESSES, peerId.toString(), AddressReleased.newBuilder()
                .setMetadata(metadata.create("ipam-service", revision))
                .setPeerId(peerId.toString())
                .setNetworkId(event.getNetworkId())
                .setPool(held.stream().map(Allocation::pool).collect(Collectors.joining(",")))
                .setIpv4Address(family(held, false))
                .setIpv6Address(family(held, true))
                .setQuarantinedUntil(until)
                .build());
        LOG.info("peer {} deleted: {} released, in quarantine until {}", peerId, addresses(held), until);
    }
}
