package dev.wgcp.ipam.service;

import dev.wgcp.ipam.domain.IndexRange;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore;
import dev.wgcp.ipam.persistence.AllocationStore.Allocation;
import dev.wgcp.ipam.persistence.FreeSpaceStore;
import dev.wgcp.ipam.persistence.PeerStore;
import dev.wgcp.ipam.persistence.PoolStore;
import dev.wgcp.ipam.persistence.ReservationStore;
import dev.wgcp.ipam.persistence.ReservationStore.Reservation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export and import of allocations and reservations, so an enterprise IPAM (NetBox, Infoblox, a
 * spreadsheet) can stay the source of record. An import is all or nothing: every row is checked in
 * one transaction and one bad row refuses the whole file, each bad row named with its line.
 */
@Singleton
public class AllocationExchange {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationExchange.class);

    /** What an import did. */
    @io.micronaut.serde.annotation.Serdeable
    public record ImportResult(int allocations, int reservations, int unchanged, int announced) {
    }

    /** An import refused, with one message per bad row (the answer's {@code errors}). */
    static Refusal importRefused(List<String> errors) {
        return new Refusal(Refusal.Kind.INVALID, errors.size() + " of the imported rows are refused, nothing was imported: "
                + String.join("; ", errors.subList(0, Math.min(errors.size(), 20))) + (errors.size() > 20 ? "; …" : ""), errors);
    }

    private final PoolStore pools;
    private final AllocationStore allocations;
    private final ReservationStore reservations;
    private final FreeSpaceStore free;
    private final PeerStore peers;
    private final PoolService poolService;
    private final AllocationService allocationService;
    private final Clock clock;

    public AllocationExchange(PoolStore pools, AllocationStore allocations, ReservationStore reservations, FreeSpaceStore free,
                              PeerStore peers, PoolService poolService, AllocationService allocationService, Clock clock) {
        this.pools = pools;
        this.allocations = allocations;
        this.reservations = reservations;
        this.free = free;
        this.peers = peers;
        this.poolService = poolService;
        this.allocationService = allocationService;
        this.clock = clock;
    }

    /** Allocations (status active) and reservations (status reserved) of {@code network}, or of all networks. */
    @Transactional
    public List<AllocationRecord> export(String network, String poolName) {
        List<AllocationRecord> out = new ArrayList<>();
        List<Pool> selected = pools.list(network).stream().filter(p -> poolName == null || p.name().equals(poolName)).toList();
        if (poolName != null && selected.isEmpty()) {
            throw Refusal.notFound("no pool named " + poolName + (network == null ? "" : " in network " + network));
        }
        for (Pool pool : selected) {
            int length = pool.cidr().prefixLength();
            for (AllocationStore.Listed l : allocations.listed(pool.name())) {
                Allocation a = l.allocation();
                String tags = l.tags() != null ? l.tags() : l.peerTags();
                out.add(new AllocationRecord(a.address() + "/" + length, "active", a.networkId(),
                        l.dnsName() != null ? l.dnsName() : dnsLabel(l.peerName()),
                        l.description() != null ? l.description() : l.peerName(),
                        tags == null || tags.isBlank() ? List.of() : Arrays.asList(tags.split(",")),
                        a.peerId().toString(), a.pool(), null));
            }
            for (Reservation r : reservations.list(pool.name())) {
                out.add(new AllocationRecord(pool.address(r.range().first()).getHostAddress() + "/" + length, "reserved", pool.networkId(),
                        null, r.description(), List.of(), null, pool.name(),
                        r.range().last() == r.range().first() ? null : pool.address(r.range().last()).getHostAddress()));
            }
        }
        return out;
    }

    /** A peer name as a DNS label (lower case letters, digits and '-'), or null when nothing is left of it. */
    static String dnsLabel(String name) {
        if (name == null) {
            return null;
        }
        String label = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (label.length() > 63) {
            label = label.substring(0, 63).replaceAll("-+$", "");
        }
        return label.isEmpty() ? null : label;
    }

    /**
     * Imports rows; {@code firstLine} is the line number of the first row, for messages. Allocations
     * of peers ipam has seen registered are announced at once (AddressAssigned); the others when
     * their registration arrives.
     */
    @Transactional
    public ImportResult importRows(List<AllocationRecord> rows, int firstLine) {
        List<String> errors = new ArrayList<>();
        Set<UUID> touchedPeers = new LinkedHashSet<>();
        int allocated = 0;
        int reserved = 0;
        int unchanged = 0;
        Instant now = clock.instant();
        for (int i = 0; i < rows.size(); i++) {
            AllocationRecord row = rows.get(i);
            String where = "line " + (firstLine + i);
            try {
                switch (importRow(row, now, touchedPeers)) {
                    case ALLOCATED -> allocated++;
                    case RESERVED -> reserved++;
                    case UNCHANGED -> unchanged++;
                }
            } catch (Refusal e) {
                errors.add(where + " (" + row.address() + "): " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw importRefused(errors);
        }
        int announced = 0;
        for (UUID peerId : touchedPeers) {
            Optional<PeerStore.KnownPeer> peer = peers.find(peerId);
            if (peer.isPresent() && peer.get().registryRevision() > 0 && !peer.get().removed()) {
                allocationService.announce(peerId, peer.get().networkId(), allocations.findByPeer(peerId), now);
                announced++;
            }
        }
        LOG.info("import: {} allocations, {} reservations, {} rows unchanged; {} peers announced", allocated, reserved, unchanged, announced);
        return new ImportResult(allocated, reserved, unchanged, announced);
    }

    private enum Outcome { ALLOCATED, RESERVED, UNCHANGED }

    private Outcome importRow(AllocationRecord row, Instant now, Set<UUID> touchedPeers) {
        if (row.address() == null || row.address().isBlank()) {
            throw Refusal.invalid("address is missing: expected an address such as 10.100.0.5/24");
        }
        String address = row.address().strip().split("/", 2)[0];
        Pool pool = poolOf(row, address);
        pool = pools.lock(pool.name()).orElseThrow();
        long index = pool.indexOf(address);
        String status = row.status() == null || row.status().isBlank() ? "active" : row.status().strip().toLowerCase(Locale.ROOT);
        String tags = row.tags() == null || row.tags().isEmpty() ? null : String.join(",", row.tags().stream().map(String::strip).toList());
        switch (status) {
            case "active" -> {
                UUID peerId = peerId(row);
                Optional<Allocation> holder = allocations.at(pool.name(), index);
                if (holder.isPresent()) {
                    if (!holder.get().peerId().equals(peerId)) {
                        throw Refusal.conflict(address + " is allocated to peer " + holder.get().peerId() + ", not " + peerId);
                    }
                    allocations.annotate(pool.name(), index, blankToNull(row.dnsName()), blankToNull(row.description()), tags);
                    return Outcome.UNCHANGED;
                }
                List<Reservation> reservedHere = reservations.overlapping(pool.name(), IndexRange.of(index));
                if (!reservedHere.isEmpty()) {
                    throw Refusal.conflict(address + " is reserved (reservation " + reservedHere.get(0).id() + ")");
                }
                Pool target = pool;
                Optional<Allocation> sameFamily = allocations.findByPeer(peerId).stream()
                        .filter(a -> a.address().contains(":") == target.isIpv6()).findFirst();
                if (sameFamily.isPresent()) {
                    throw Refusal.conflict("peer " + peerId + " already holds " + sameFamily.get().address() + " (pool "
                            + sameFamily.get().pool() + "); an import does not move a peer to another address");
                }
                Optional<PeerStore.KnownPeer> peer = peers.find(peerId);
                if (peer.isPresent() && peer.get().removed()) {
                    throw Refusal.conflict("peer " + peerId + " was deleted; its addresses are not handed out again");
                }
                if (peer.isPresent() && peer.get().registryRevision() > 0 && !peer.get().networkId().equals(pool.networkId())) {
                    throw Refusal.conflict("peer " + peerId + " is in network " + peer.get().networkId() + ", pool " + pool.name()
                            + " in network " + pool.networkId());
                }
                free.remove(pool.name(), IndexRange.of(index));
                allocations.insert(new Allocation(pool.name(), index, pool.address(index).getHostAddress(), peerId, pool.networkId()), now,
                        false, blankToNull(row.dnsName()), blankToNull(row.description()), tags);
                pools.addCounts(pool.name(), 1, 0);
                poolService.warnings(pool.name(), pool.allocated() + 1, pool.reserved(), pool.size());
                touchedPeers.add(peerId);
                return Outcome.ALLOCATED;
            }
            case "reserved" -> {
                long last = row.rangeEnd() == null || row.rangeEnd().isBlank() ? index : pool.indexOf(row.rangeEnd().strip());
                if (last < index) {
                    throw Refusal.invalid("cf_wgcp_range_end " + row.rangeEnd() + " is before the address: expected the range's last address");
                }
                IndexRange range = new IndexRange(index, last);
                List<Reservation> same = reservations.overlapping(pool.name(), range);
                if (same.size() == 1 && same.get(0).range().equals(range)) {
                    return Outcome.UNCHANGED;
                }
                String text = range.first() == range.last() ? address : address + "-" + row.rangeEnd().strip();
                poolService.reserveLocked(pool, text, blankToNull(row.description()), now);
                return Outcome.RESERVED;
            }
            default -> throw Refusal.invalid("status '" + row.status() + "' is not supported: expected active (a peer's address,"
                    + " with cf_wgcp_peer_id) or reserved");
        }
    }

    private Pool poolOf(AllocationRecord row, String address) {
        if (row.pool() != null && !row.pool().isBlank()) {
            Pool pool = pools.find(row.pool().strip())
                    .orElseThrow(() -> Refusal.notFound("no pool named " + row.pool() + "; create it before importing into it"));
            if (row.tenant() != null && !row.tenant().isBlank() && !row.tenant().strip().equals(pool.networkId())) {
                throw Refusal.invalid("pool " + pool.name() + " is in network " + pool.networkId() + ", the row says tenant " + row.tenant());
            }
            return pool;
        }
        try {
            Pool.parseCidr(address + (address.contains(":") ? "/128" : "/32"));
        } catch (Refusal e) {
            throw Refusal.invalid("'" + row.address() + "' is not an IP address: expected e.g. 10.100.0.5/24 or fd00:100::5/64");
        }
        List<Pool> containing = pools.containing(address).stream()
                .filter(p -> row.tenant() == null || row.tenant().isBlank() || p.networkId().equals(row.tenant().strip())).toList();
        if (containing.isEmpty()) {
            throw Refusal.notFound("no pool" + (row.tenant() == null || row.tenant().isBlank() ? "" : " of network " + row.tenant())
                    + " contains " + address + "; create the pool before importing its addresses");
        }
        if (containing.size() > 1) {
            throw Refusal.invalid(address + " is in pools of several networks (" + containing.stream().map(Pool::label).toList()
                    + "): say which with the tenant column (the network name)");
        }
        return containing.get(0);
    }

    private static UUID peerId(AllocationRecord row) {
        if (row.peerId() == null || row.peerId().isBlank()) {
            throw Refusal.invalid("an active address needs cf_wgcp_peer_id, the peer's id (a UUID) in wgcp");
        }
        try {
            return UUID.fromString(row.peerId().strip());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("cf_wgcp_peer_id '" + row.peerId() + "' is not a peer id: expected a UUID");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
