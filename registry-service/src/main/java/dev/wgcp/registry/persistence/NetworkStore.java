package dev.wgcp.registry.persistence;

import dev.wgcp.registry.domain.Network;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tables {@code network}, {@code edge} and {@code network_edge}, through the current transaction's connection. */
@Singleton
public class NetworkStore {

    private final JdbcOperations jdbc;

    public NetworkStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Every network with its edges, by name. */
    public Map<String, Network> all() {
        Map<String, List<Network.Edge>> edgesByNetwork = new LinkedHashMap<>();
        jdbc.prepareStatement("SELECT ne.network_name, e.id, e.public_key, e.endpoint, e.signing_key FROM network_edge ne JOIN edge e ON e.id = ne.edge_id "
                + "ORDER BY ne.network_name, e.id", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    edgesByNetwork.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Network.Edge(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return null;
        });
        return jdbc.prepareStatement("SELECT name, routes, dns, persistent_keepalive, pools FROM network ORDER BY name", ps -> {
            Map<String, Network> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    out.put(name, new Network(name, strings(rs.getArray(2)), strings(rs.getArray(3)), rs.getInt(4),
                            List.copyOf(edgesByNetwork.getOrDefault(name, List.of())), strings(rs.getArray(5))));
                }
            }
            return out;
        });
    }

    public boolean exists(String name) {
        return jdbc.prepareStatement("SELECT 1 FROM network WHERE name = ?", ps -> {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** The signing key stored for edge {@code id} (empty: none, or no such edge). */
    public java.util.Optional<String> edgeSigningKey(String id) {
        return jdbc.prepareStatement("SELECT signing_key FROM edge WHERE id = ?", ps -> {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.<String>empty();
            }
        });
    }

    /** Sets edge {@code id}'s signing key. */
    public void setEdgeSigningKey(String id, String signingKey, Instant at) {
        jdbc.prepareStatement("UPDATE edge SET signing_key = ?, updated_at = ? WHERE id = ?", ps -> {
            ps.setString(1, signingKey);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, id);
            return ps.executeUpdate();
        });
    }

    public boolean edgeExists(String id) {
        return jdbc.prepareStatement("SELECT 1 FROM edge WHERE id = ?", ps -> {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    public void insert(Network n, Instant at, String by) {
        jdbc.prepareStatement("INSERT INTO network (name, routes, dns, persistent_keepalive, pools, created_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, n.name());
            ps.setArray(2, array(ps, n.routes()));
            ps.setArray(3, array(ps, n.dns()));
            ps.setInt(4, n.persistentKeepalive());
            ps.setArray(5, array(ps, n.pools()));
            ps.setTimestamp(6, Timestamp.from(at));
            ps.setString(7, by);
            return ps.executeUpdate();
        });
    }

    public void update(Network n) {
        jdbc.prepareStatement("UPDATE network SET routes = ?, dns = ?, persistent_keepalive = ?, pools = ? WHERE name = ?", ps -> {
            ps.setArray(1, array(ps, n.routes()));
            ps.setArray(2, array(ps, n.dns()));
            ps.setInt(3, n.persistentKeepalive());
            ps.setArray(4, array(ps, n.pools()));
            ps.setString(5, n.name());
            return ps.executeUpdate();
        });
    }

    /** Creates or replaces edge {@code e} and the networks it serves. */
    public void upsertEdge(Network.Edge e, List<String> networks, Instant at) {
        jdbc.prepareStatement("INSERT INTO edge (id, public_key, endpoint, signing_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET public_key = EXCLUDED.public_key, endpoint = EXCLUDED.endpoint, "
                + "signing_key = EXCLUDED.signing_key, updated_at = EXCLUDED.updated_at", ps -> {
            ps.setString(1, e.id());
            ps.setString(2, e.publicKey());
            ps.setString(3, e.endpoint());
            ps.setString(4, e.signingKey());
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setTimestamp(6, Timestamp.from(at));
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("DELETE FROM network_edge WHERE edge_id = ?", ps -> {
            ps.setString(1, e.id());
            return ps.executeUpdate();
        });
        for (String network : networks) {
            jdbc.prepareStatement("INSERT INTO network_edge (network_name, edge_id) VALUES (?, ?)", ps -> {
                ps.setString(1, network);
                ps.setString(2, e.id());
                return ps.executeUpdate();
            });
        }
    }

    private static Array array(PreparedStatement ps, List<String> values) throws SQLException {
        return ps.getConnection().createArrayOf("text", values.toArray());
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }
}
