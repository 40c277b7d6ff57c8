package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.Observation;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Table {@code pending_observation}: observations of peers whose registration has not reached this tracker yet. */
@Singleton
public class PendingObservationStore {

    private final JdbcOperations jdbc;

    public PendingObservationStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public void hold(Observation o, Instant receivedAt) {
        jdbc.prepareStatement("INSERT INTO pending_observation (peer_id, edge_id, public_key, endpoint, latest_handshake_at, "
                + "observed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setObject(1, UUID.fromString(o.peerId()));
                    ps.setString(2, o.edgeId());
                    ps.setString(3, o.publicKey());
                    ps.setString(4, o.endpoint());
                    ps.setTimestamp(5, PeerStore.ts(o.latestHandshakeAt()));
                    ps.setTimestamp(6, Timestamp.from(o.observedAt()));
                    ps.setTimestamp(7, Timestamp.from(receivedAt));
                    return ps.executeUpdate();
                });
    }

    /** Removes and returns the peer's held observations, oldest first. */
    public List<Observation> release(String peerId) {
        return jdbc.prepareStatement("DELETE FROM pending_observation WHERE peer_id = ? "
                + "RETURNING peer_id, edge_id, public_key, endpoint, latest_handshake_at, observed_at", ps -> {
                    ps.setObject(1, UUID.fromString(peerId));
                    List<Observation> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new Observation(rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3),
                                    rs.getString(4), PeerStore.instant(rs.getTimestamp(5)), rs.getTimestamp(6).toInstant()));
                        }
                    }
                    out.sort(java.util.Comparator.comparing(Observation::observedAt));
                    return out;
                });
    }

    /** Drops observations held since before {@code before}; returns how many. */
    public int expire(Instant before) {
        return jdbc.prepareStatement("DELETE FROM pending_observation WHERE received_at < ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        });
    }
}
