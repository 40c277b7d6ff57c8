package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.ChurnFlag;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code churn_flag}: each peer's latest churn flag. */
@Singleton
public class ChurnStore {

    private static final String COLUMNS = "peer_id, network_id, edge_id, changes, window_seconds, endpoints, flagged_at, times_flagged";

    private final JdbcOperations jdbc;

    public ChurnStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ChurnFlag> find(String peerId) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM churn_flag WHERE peer_id = ?", ps -> {
            ps.setObject(1, UUID.fromString(peerId));
            return read(ps.executeQuery()).stream().findFirst();
        });
    }

    public void flag(ChurnFlag f) {
        jdbc.prepareStatement("INSERT INTO churn_flag (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (peer_id) DO UPDATE SET "
                + "network_id = EXCLUDED.network_id, edge_id = EXCLUDED.edge_id, changes = EXCLUDED.changes, "
                + "window_seconds = EXCLUDED.window_seconds, endpoints = EXCLUDED.endpoints, flagged_at = EXCLUDED.flagged_at, "
                + "times_flagged = churn_flag.times_flagged + 1", ps -> {
                    ps.setObject(1, UUID.fromString(f.peerId()));
                    ps.setString(2, f.networkId());
                    ps.setString(3, f.edgeId());
                    ps.setInt(4, f.changes());
                    ps.setLong(5, f.windowSeconds());
                    ps.setString(6, String.join(",", f.endpoints()));
                    ps.setTimestamp(7, Timestamp.from(f.flaggedAt()));
                    return ps.executeUpdate();
                });
    }

    /** Flags raised after {@code since}, newest first. */
    /** Flags raised after {@code since}, newest first, of one network (null: every network). */
    public List<ChurnFlag> since(Instant since, String networkId, int limit) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM churn_flag WHERE flagged_at > ? AND (CAST(? AS text) IS NULL OR network_id = ?)"
                + " ORDER BY flagged_at DESC LIMIT ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setString(2, networkId);
            ps.setString(3, networkId);
            ps.setInt(4, limit);
            return read(ps.executeQuery());
        });
    }

    private static List<ChurnFlag> read(ResultSet rs) throws SQLException {
        List<ChurnFlag> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                String endpoints = rs.getString(6);
                out.add(new ChurnFlag(rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getLong(5), endpoints.isEmpty() ? List.of() : Arrays.asList(endpoints.split(",")),
                        rs.getTimestamp(7).toInstant(), rs.getInt(8)));
            }
        }
        return out;
    }
}
