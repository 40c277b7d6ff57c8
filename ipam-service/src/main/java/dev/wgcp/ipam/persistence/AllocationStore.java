package dev.wgcp.ipam.persistence;

import dev.wgcp.ipam.domain.IndexRange;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code allocation}. Callers changing it hold the pool's lock. */
@Singleton
public class AllocationStore {

    /** One handed-out address. */
    public record Allocation(String pool, long hostIndex, String address, UUID peerId, String networkId) {
    }

    /** An allocation with what an export shows of it. */
    public record Listed(Allocation allocation, String dnsName, String description, String tags, String peerName, String peerTags,
                         Instant allocatedAt) {
    }

    private static final String COLUMNS = "pool, host_index, address, peer_id, network_id";

    private final Sql sql;

    public AllocationStore(Sql sql) {
        this.sql = sql;
    }

    public List<Allocation> findByPeer(UUID peerId) {
        return sql.list("SELECT " + COLUMNS + " FROM allocation WHERE peer_id = ? ORDER BY pool", AllocationStore::map, peerId);
    }

    public Optional<Allocation> at(String pool, long index) {
        return sql.one("SELECT " + COLUMNS + " FROM allocation WHERE pool = ? AND host_index = ?", AllocationStore::map, pool, index);
    }

    /** The lowest allocation of {@code pool} within {@code range}, if any (a primary key range look-up). */
    public Optional<Allocation> firstIn(String pool, IndexRange range) {
        return sql.one("SELECT " + COLUMNS + " FROM allocation WHERE pool = ? AND host_index BETWEEN ? AND ? ORDER BY host_index LIMIT 1",
                AllocationStore::map, pool, range.first(), range.last());
    }

    public long countIn(String pool, IndexRange range) {
        return sql.count("SELECT count(*) FROM allocation WHERE pool = ? AND host_index BETWEEN ? AND ?", pool, range.first(), range.last());
    }

    public List<Long> indexes(String pool) {
        return sql.list("SELECT host_index FROM allocation WHERE pool = ? ORDER BY host_index", rs -> rs.getLong(1), pool);
    }

    public void insert(Allocation a, Instant at, boolean announced, String dnsName, String description, String tags) {
        sql.update("INSERT INTO allocation (pool, host_index, address, peer_id, network_id, allocated_at, announced, dns_name, description, tags)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.pool(), a.hostIndex(), a.address(), a.peerId(), a.networkId(), at, announced, dnsName, description, tags);
    }

    public void annotate(String pool, long index, String dnsName, String description, String tags) {
        sql.update("UPDATE allocation SET dns_name = ?, description = ?, tags = ? WHERE pool = ? AND host_index = ?",
                dnsName, description, tags, pool, index);
    }

    /** Whether every allocation of the peer was announced with an AddressAssigned. */
    public boolean announced(UUID peerId) {
        return sql.count("SELECT count(*) FROM allocation WHERE peer_id = ? AND NOT announced", peerId) == 0;
    }

    public void markAnnounced(UUID peerId) {
        sql.update("UPDATE allocation SET announced = true WHERE peer_id = ? AND NOT announced", peerId);
    }

    public void deleteByPeer(UUID peerId) {
        sql.update("DELETE FROM allocation WHERE peer_id = ?", peerId);
    }

    /** Allocations of {@code pool} with their peers' names and tags, by address. */
    public List<Listed> listed(String pool) {
        String select = "SELECT a.pool, a.host_index, a.address, a.peer_id, a.network_id, a.dns_name, a.description, a.tags,"
                + " p.name AS peer_name, p.tags AS peer_tags, a.allocated_at FROM allocation a LEFT JOIN peer p ON p.peer_id = a.peer_id";
        Sql.Row<Listed> row = rs -> new Listed(map(rs), rs.getString("dns_name"), rs.getString("description"), rs.getString("tags"),
                rs.getString("peer_name"), rs.getString("peer_tags"), Sql.instant(rs, "allocated_at"));
        return sql.list(select + " WHERE a.pool = ? ORDER BY a.host_index", row, pool);
    }

    private static Allocation map(ResultSet rs) throws SQLException {
        return new Allocation(rs.getString("pool"), rs.getLong("host_index"), rs.getString("address"), rs.getObject("peer_id", UUID.class),
                rs.getString("network_id"));
    }
}
