package dev.wgcp.tracker.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Table {@code edge}: each edge's registered endpoint and the public addresses its agent reports. */
@Singleton
public class EdgeStore {

    /** An edge as known here. */
    public record Edge(String edgeId, String endpoint, List<String> addresses, Instant addressesSeenAt) {
    }

    private final JdbcOperations jdbc;

    public EdgeStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Edge> findForUpdate(String edgeId) {
        return jdbc.prepareStatement("SELECT edge_id, endpoint, addresses, addresses_seen_at FROM edge WHERE edge_id = ? FOR UPDATE", ps -> {
            ps.setString(1, edgeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String a = rs.getString(3);
                return Optional.of(new Edge(rs.getString(1), rs.getString(2), a == null || a.isEmpty() ? List.of() : Arrays.asList(a.split(",")),
                        PeerStore.instant(rs.getTimestamp(4))));
            }
        });
    }

    /** An edge's identity as the registry announced it: the key its agent signs with, the networks it serves. */
    public record Identity(String edgeId, String signingKey, List<String> networks) {
    }

    public void saveIdentity(Identity i) {
        jdbc.prepareStatement("INSERT INTO edge (edge_id, signing_key, networks) VALUES (?, ?, ?) "
                + "ON CONFLICT (edge_id) DO UPDATE SET signing_key = EXCLUDED.signing_key, networks = EXCLUDED.networks", ps -> {
                    ps.setString(1, i.edgeId());
                    ps.setString(2, i.signingKey());
                    ps.setString(3, String.join(",", i.networks()));
                    return ps.executeUpdate();
                });
    }

    public List<Identity> identities() {
        return jdbc.prepareStatement("SELECT edge_id, signing_key, networks FROM edge", ps -> {
            List<Identity> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String n = rs.getString(3);
                    out.add(new Identity(rs.getString(1), rs.getString(2), n == null || n.isEmpty() ? List.of() : Arrays.asList(n.split(","))));
                }
            }
            return out;
        });
    }

    public void save(Edge e) {
        jdbc.prepareStatement("INSERT INTO edge (edge_id, endpoint, addresses, addresses_seen_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (edge_id) DO UPDATE SET endpoint = EXCLUDED.endpoint, addresses = EXCLUDED.addresses, "
                + "addresses_seen_at = EXCLUDED.addresses_seen_at", ps -> {
                    ps.setString(1, e.edgeId());
                    ps.setString(2, e.endpoint());
                    ps.setString(3, e.addresses() == null ? null : String.join(",", e.addresses()));
                    ps.setTimestamp(4, e.addressesSeenAt() == null ? null : Timestamp.from(e.addressesSeenAt()));
                    return ps.executeUpdate();
                });
    }
}
