package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.EndpointHistoryEntry;
import dev.wgcp.tracker.domain.EndpointState;
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

/**
 * Tables {@code endpoint_state}, {@code endpoint_change} (history) and {@code peer_revision}, through the
 * current transaction's connection.
 */
@Singleton
public class EndpointStore {

    private final JdbcOperations jdbc;

    public EndpointStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<EndpointState> findForUpdate(String peerId, String edgeId) {
        return jdbc.prepareStatement("SELECT peer_id, edge_id, public_key, endpoint, latest_handshake_at, observed_at, changed_at "
                + "FROM endpoint_state WHERE peer_id = ? AND edge_id = ? FOR UPDATE", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    ps.setString(2, edgeId);
                    List<EndpointState> rows = read(ps.executeQuery());
                    return rows.stream().findFirst();
                });
    }

    public List<EndpointState> forPeer(String peerId) {
        return jdbc.prepareStatement("SELECT peer_id, edge_id, public_key, endpoint, latest_handshake_at, observed_at, changed_at "
                + "FROM endpoint_state WHERE peer_id = ? ORDER BY edge_id", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    return read(ps.executeQuery());
                });
    }

    public void upsert(EndpointState s) {
        jdbc.prepareStatement("INSERT INTO endpoint_state (peer_id, edge_id, public_key, endpoint, latest_handshake_at, observed_at, changed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (peer_id, edge_id) DO UPDATE SET public_key = EXCLUDED.public_key, "
                + "endpoint = EXCLUDED.endpoint, latest_handshake_at = EXCLUDED.latest_handshake_at, "
                + "observed_at = EXCLUDED.observed_at, changed_at = EXCLUDED.changed_at", ps -> {
                    ps.setObject(1, UUID.fromString(s.peerId()));
                    ps.setString(2, s.edgeId());
                    ps.setString(3, s.publicKey());
                    ps.setString(4, s.endpoint());
                    ps.setTimestamp(5, s.latestHandshakeAt() == null ? null : Timestamp.from(s.latestHandshakeAt()));
                    ps.setTimestamp(6, Timestamp.from(s.observedAt()));
                    ps.setTimestamp(7, Timestamp.from(s.changedAt()));
                    return ps.executeUpdate();
                });
    }

    /** The next per-peer revision of the EndpointChanged stream. */
    public long nextRevision(String peerId) {
        return jdbc.prepareStatement("INSERT INTO peer_revision (peer_id, revision) VALUES (?, 1) "
                + "ON CONFLICT (peer_id) DO UPDATE SET revision = peer_revision.revision + 1 RETURNING revision", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    public void recordChange(EndpointHistoryEntry e) {
        jdbc.prepareStatement("INSERT INTO endpoint_change (peer_id, edge_id, network_id, old_endpoint, new_endpoint, kind, "
                + "observed_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setObject(1, UUID.fromString(e.peerId()));
                    ps.setString(2, e.edgeId());
                    ps.setString(3, e.networkId());
                    ps.setString(4, e.oldEndpoint());
                    ps.setString(5, e.newEndpoint());
                    ps.setString(6, e.kind());
                    ps.setTimestamp(7, Timestamp.from(e.observedAt()));
                    ps.setLong(8, e.revision());
                    return ps.executeUpdate();
                });
    }

    /** A peer's endpoint changes, newest first, observed before {@code before} (all when null). */
    public List<EndpointHistoryEntry> history(String peerId, Instant before, int limit) {
        return jdbc.prepareStatement("SELECT peer_id, edge_id, network_id, old_endpoint, new_endpoint, kind, observed_at, revision "
                + "FROM endpoint_change WHERE peer_id = ? AND (?::timestamptz IS NULL OR observed_at < ?) "
                + "ORDER BY observed_at DESC, id DESC LIMIT ?", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    ps.setTimestamp(2, PeerStore.ts(before));
                    ps.setTimestamp(3, PeerStore.ts(before));
                    ps.setInt(4, limit);
                    List<EndpointHistoryEntry> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new EndpointHistoryEntry(rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3),
                                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getLong(8)));
                        }
                    }
                    return out;
                });
    }

    /** The peer's roams and NAT rebindings observed after {@code since}, newest first (their new endpoints). */
    public List<String> changedEndpointsSince(String peerId, Instant since) {
        return jdbc.prepareStatement("SELECT new_endpoint FROM endpoint_change WHERE peer_id = ? AND observed_at > ? "
                + "AND kind <> 'FIRST_SEEN' ORDER BY observed_at DESC, id DESC", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    ps.setTimestamp(2, Timestamp.from(since));
                    List<String> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                    return out;
                });
    }

    /** Deletes history observed before {@code before}; returns how many rows went. */
    public int deleteHistoryBefore(Instant before) {
        return jdbc.prepareStatement("DELETE FROM endpoint_change WHERE observed_at < ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        });
    }

    /** Per network and edge: how many active peers had a handshake there since {@code onlineSince}, and how many not. */
    public List<EdgeCount> presenceByEdge(Instant onlineSince) {
        return jdbc.prepareStatement("SELECT p.network_id, s.edge_id, "
                + "count(*) FILTER (WHERE s.latest_handshake_at >= ?), "
                + "count(*) FILTER (WHERE s.latest_handshake_at < ?) "
                + "FROM endpoint_state s JOIN peer p ON p.peer_id = s.peer_id WHERE p.status = 'ACTIVE' "
                + "GROUP BY p.network_id, s.edge_id", ps -> {
                    ps.setTimestamp(1, Timestamp.from(onlineSince));
                    ps.setTimestamp(2, Timestamp.from(onlineSince));
                    List<EdgeCount> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new EdgeCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                        }
                    }
                    return out;
                });
    }

    /** Peers online and stale at one edge of one network. */
    public record EdgeCount(String networkId, String edgeId, long online, long stale) {
    }

    private static List<EndpointState> read(ResultSet rs) throws SQLException {
        List<EndpointState> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                Timestamp hs = rs.getTimestamp(5);
                out.add(new EndpointState(rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3),
                        rs.getString(4), hs == null ? null : hs.toInstant(), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()));
            }
        }
        return out;
    }

}
