package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Presence;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tables {@code peer} and {@code revoked_key}: the registry's peers as this tracker knows them. */
@Singleton
public class PeerStore {

    private static final String COLUMNS = "peer_id, network_id, name, public_key, previous_key, status, registry_revision, "
            + "presence, latest_handshake_at, latest_edge_id";

    private final JdbcOperations jdbc;

    public PeerStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<KnownPeer> find(String peerId) {
        return one("SELECT " + COLUMNS + " FROM peer WHERE peer_id = ?", peerId);
    }

    public Optional<KnownPeer> findForUpdate(String peerId) {
        return one("SELECT " + COLUMNS + " FROM peer WHERE peer_id = ? FOR UPDATE", peerId);
    }

    /** Inserts a newly registered peer; false when it is known already (a redelivery or replay). */
    public boolean insert(KnownPeer p) {
        return jdbc.prepareStatement("INSERT INTO peer (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (peer_id) DO NOTHING", ps -> {
                    ps.setObject(1, UUID.fromString(p.peerId()));
                    ps.setString(2, p.networkId());
                    ps.setString(3, p.name());
                    ps.setString(4, p.publicKey());
                    ps.setString(5, p.previousKey());
                    ps.setString(6, p.status().name());
                    ps.setLong(7, p.registryRevision());
                    ps.setString(8, p.presence().name());
                    ps.setTimestamp(9, ts(p.latestHandshakeAt()));
                    ps.setString(10, p.latestEdgeId());
                    return ps.executeUpdate() == 1;
                });
    }

    /** Writes the registry-owned columns (name, keys, status, revision). */
    public void updateIdentity(KnownPeer p) {
        jdbc.prepareStatement("UPDATE peer SET name = ?, public_key = ?, previous_key = ?, status = ?, registry_revision = ? "
                + "WHERE peer_id = ?", ps -> {
                    ps.setString(1, p.name());
                    ps.setString(2, p.publicKey());
                    ps.setString(3, p.previousKey());
                    ps.setString(4, p.status().name());
                    ps.setLong(5, p.registryRevision());
                    ps.setObject(6, UUID.fromString(p.peerId()));
                    return ps.executeUpdate();
                });
    }

    /** Writes the tracker-owned columns: presence and latest handshake. */
    public void updatePresence(String peerId, Presence presence, Instant latestHandshakeAt, String latestEdgeId, Instant changedAt) {
        jdbc.prepareStatement("UPDATE peer SET presence = ?, latest_handshake_at = ?, latest_edge_id = ?, "
                + "presence_changed_at = COALESCE(?, presence_changed_at) WHERE peer_id = ?", ps -> {
                    ps.setString(1, presence.name());
                    ps.setTimestamp(2, ts(latestHandshakeAt));
                    ps.setString(3, latestEdgeId);
                    ps.setTimestamp(4, ts(changedAt));
                    ps.setObject(5, UUID.fromString(peerId));
                    return ps.executeUpdate();
                });
    }

    /** Online peers whose latest handshake is before {@code before}, locked (other tracker instances skip them). */
    public List<KnownPeer> onlineWithHandshakeBefore(Instant before, int limit) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM peer WHERE presence = 'ONLINE' AND status = 'ACTIVE' AND latest_handshake_at < ? "
                + "ORDER BY latest_handshake_at LIMIT ? FOR UPDATE SKIP LOCKED", ps -> {
                    ps.setTimestamp(1, ts(before));
                    ps.setInt(2, limit);
                    return read(ps.executeQuery());
                });
    }

    /** Peers in {@code presence} (all when null), active ones only, oldest handshake first. */
    public List<KnownPeer> list(Presence presence, String networkId, int limit) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM peer WHERE status = 'ACTIVE' AND (?::text IS NULL OR presence = ?) "
                + "AND (?::text IS NULL OR network_id = ?) ORDER BY latest_handshake_at NULLS FIRST, peer_id LIMIT ?", ps -> {
                    ps.setString(1, presence == null ? null : presence.name());
                    ps.setString(2, presence == null ? null : presence.name());
                    ps.setString(3, networkId);
                    ps.setString(4, networkId);
                    ps.setInt(5, limit);
                    return read(ps.executeQuery());
                });
    }

    public boolean isRevokedKey(String publicKey) {
        return jdbc.prepareStatement("SELECT 1 FROM revoked_key WHERE public_key = ?", ps -> {
            ps.setString(1, publicKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    public void revokeKey(String publicKey, String peerId, String reason) {
        jdbc.prepareStatement("INSERT INTO revoked_key (public_key, peer_id, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", ps -> {
            ps.setString(1, publicKey);
            ps.setObject(2, UUID.fromString(peerId));
            ps.setString(3, reason);
            return ps.executeUpdate();
        });
    }

    private Optional<KnownPeer> one(String sql, String peerId) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setObject(1, UUID.fromString(peerId));
            return read(ps.executeQuery()).stream().findFirst();
        });
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static List<KnownPeer> read(ResultSet rs) throws SQLException {
        List<KnownPeer> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                out.add(new KnownPeer(rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), KnownPeer.Status.valueOf(rs.getString(6)), rs.getLong(7), Presence.valueOf(rs.getString(8)),
                        instant(rs.getTimestamp(9)), rs.getString(10)));
            }
        }
        return out;
    }
}
