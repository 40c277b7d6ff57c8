package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.EndpointState;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tables {@code endpoint_state} and {@code peer_revision}, through the current transaction's connection. */
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
