package dev.wgcp.ipam.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Table {@code allocation}, through the current transaction's connection. */
@Singleton
public class AllocationStore {

    /** One handed-out address. */
    public record Allocation(String pool, long hostIndex, String address, UUID peerId, String networkId) {
    }

    private final JdbcOperations jdbc;

    public AllocationStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Serializes allocations in {@code pool} until the transaction ends. */
    public void lockPool(String pool) {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))", ps -> {
            ps.setString(1, "wgcp.pool." + pool);
            ps.executeQuery().close();
            return null;
        });
    }

    public List<Allocation> findByPeer(UUID peerId) {
        return jdbc.prepareStatement("SELECT pool, host_index, address, peer_id, network_id FROM allocation WHERE peer_id = ? ORDER BY pool",
                ps -> {
                    ps.setObject(1, peerId);
                    return read(ps);
                });
    }

    /** The highest index handed out in {@code pool}, 0 when none (one look-up in the primary key). */
    public long highestIndex(String pool) {
        return jdbc.prepareStatement("SELECT COALESCE(max(host_index), 0) FROM allocation WHERE pool = ?", ps -> {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public List<Long> usedIndexes(String pool) {
        return jdbc.prepareStatement("SELECT host_index FROM allocation WHERE pool = ? ORDER BY host_index", ps -> {
            ps.setString(1, pool);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    public void insert(Allocation a, Instant at) {
        jdbc.prepareStatement("INSERT INTO allocation (pool, host_index, address, peer_id, network_id, allocated_at) VALUES (?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, a.pool());
                    ps.setLong(2, a.hostIndex());
                    ps.setString(3, a.address());
                    ps.setObject(4, a.peerId());
                    ps.setString(5, a.networkId());
                    ps.setTimestamp(6, Timestamp.from(at));
                    return ps.executeUpdate();
                });
    }

    private static List<Allocation> read(PreparedStatement ps) throws java.sql.SQLException {
        List<Allocation> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Allocation(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class), rs.getString(5)));
            }
        }
        return out;
    }
}
