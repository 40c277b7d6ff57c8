package dev.wgcp.ipam.service;

import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AllocationFailureReason;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.ipam.config.Pools;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore;
import dev.wgcp.ipam.persistence.AllocationStore.Allocation;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Allocates each registered peer one address per pool of its network, exactly once. */
@Singleton
public class AllocationService {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationService.class);

    private final Pools pools;
    private final AllocationStore store;
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();
    private final EventMetadataFactory metadata = new EventMetadataFactory("ipam-service", clock);

    public AllocationService(Pools pools, AllocationStore store, Outbox outbox) {
        this.pools = pools;
        this.store = store;
        this.outbox = outbox;
    }

    /** Tells the registry (and operators) why the peer got no address, in the allocation's transaction. */
    private void failed(PeerRegistered event, AllocationFailureReason reason, String message) {
        outbox.append(Topics.ADDRESSES, event.getPeerId(), AddressAllocationFailed.newBuilder()
                .setMetadata(metadata.create("ipam-service", 1))
                .setPeerId(event.getPeerId())
                .setNetworkId(event.getNetworkId())
                .setReason(reason)
                .setMessage(message)
                .build());
    }

    /**
     * Allocates the peer's addresses and emits AddressAssigned in the same transaction. A redelivered
     * or replayed PeerRegistered finds the allocation made before and changes nothing.
     */
    @Transactional
    public List<Allocation> onPeerRegistered(PeerRegistered event) {
        UUID peerId = UUID.fromString(event.getPeerId());
        String eventId = event.getMetadata().getEventId();
        List<Pool> networkPools = pools.forNetwork(event.getNetworkId());
        if (networkPools.isEmpty()) {
            String message = "network " + event.getNetworkId() + " has no address pool; configure wgcp.pools.<name>.network="
                    + event.getNetworkId();
            LOG.error("peer {} (event {}): {}", peerId, eventId, message);
            failed(event, AllocationFailureReason.NO_POOL, message);
            return List.of();
        }
        List<Allocation> existing = store.findByPeer(peerId);
        if (!existing.isEmpty()) {
            LOG.debug("peer {} already has {} (event {} redelivered)", peerId, existing, eventId);
            return existing;
        }
        Instant now = Instant.now(clock);
        String ipv4 = null;
        String ipv6 = null;
        String poolNames = "";
        List<String> exhausted = new java.util.ArrayList<>();
        for (Pool pool : networkPools) {
            store.lockPool(pool.name());
            OptionalLong index = pool.nextAfter(store.highestIndex(pool.name()));
            if (index.isEmpty()) {
                index = pool.nextFree(store.usedIndexes(pool.name()));
            }
            if (index.isEmpty()) {
                LOG.error("pool {} ({}) is exhausted: peer {} (event {}) gets no address from it", pool.name(), pool.cidr(), peerId, eventId);
                exhausted.add(pool.name() + " (" + pool.cidr() + ")");
                continue;
            }
            String address = pool.address(index.getAsLong()).getHostAddress();
            store.insert(new Allocation(pool.name(), index.getAsLong(), address, peerId, event.getNetworkId()), now);
            if (pool.cidr().isIpv6()) {
                ipv6 = address;
            } else {
                ipv4 = address;
            }
            poolNames = poolNames.isEmpty() ? pool.name() : poolNames + "," + pool.name();
        }
        if (ipv4 == null && ipv6 == null) {
            failed(event, AllocationFailureReason.POOL_EXHAUSTED, "every address pool of network " + event.getNetworkId()
                    + " is exhausted: " + String.join(", ", exhausted) + "; delete peers that are no longer used, or add a pool");
            return List.of();
        }
        outbox.append(Topics.ADDRESSES, peerId.toString(), AddressAssigned.newBuilder()
                .setMetadata(metadata.create("ipam-service", 1))
                .setPeerId(peerId.toString())
                .setNetworkId(event.getNetworkId())
                .setPool(poolNames)
                .setIpv4Address(ipv4)
                .setIpv6Address(ipv6)
                .build());
        LOG.info("peer {} in network {} gets {} {} (event {})", peerId, event.getNetworkId(),
                ipv4 == null ? "" : ipv4, ipv6 == null ? "" : ipv6, eventId);
        return store.findByPeer(peerId);
    }
}
