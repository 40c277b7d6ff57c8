package dev.wgcp.firewall.persistence;

import dev.wgcp.firewall.domain.AllowList;
import dev.wgcp.firewall.domain.PeerGroup;
import dev.wgcp.firewall.domain.Policy;
import dev.wgcp.firewall.domain.PolicySet;
import dev.wgcp.firewall.domain.Protocol;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tables {@code fw_group}, {@code fw_policy} and {@code fw_allow_list}, through the current transaction's connection. */
@Singleton
public class PolicyStore {

    private final JdbcOperations jdbc;

    public PolicyStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Every network's definitions. */
    public Map<String, PolicySet> all() {
        Map<String, List<PeerGroup>> groups = new HashMap<>();
        Map<String, List<Policy>> policies = new HashMap<>();
        Map<String, List<AllowList>> lists = new HashMap<>();
        groups(null).forEach(g -> groups.computeIfAbsent(g.networkId(), k -> new ArrayList<>()).add(g));
        policies(null).forEach(p -> policies.computeIfAbsent(p.networkId(), k -> new ArrayList<>()).add(p));
        allowLists(null).forEach(a -> lists.computeIfAbsent(a.networkId(), k -> new ArrayList<>()).add(a));
        Map<String, PolicySet> out = new HashMap<>();
        for (String n : union(groups.keySet(), policies.keySet(), lists.keySet())) {
            out.put(n, new PolicySet(groups.getOrDefault(n, List.of()), policies.getOrDefault(n, List.of()), lists.getOrDefault(n, List.of())));
        }
        return out;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b, java.util.Set<String> c) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        out.addAll(c);
        return out;
    }

    public List<PeerGroup> groups(String networkId) {
        return jdbc.prepareStatement("SELECT network_id, name, tags, peers, all_peers, mark_bit FROM fw_group "
                + "WHERE ?::text IS NULL OR network_id = ? ORDER BY network_id, name", ps -> {
                    ps.setString(1, networkId);
                    ps.setString(2, networkId);
                    List<PeerGroup> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new PeerGroup(rs.getString(1), rs.getString(2), strings(rs.getArray(3)), strings(rs.getArray(4)),
                                    rs.getBoolean(5), rs.getInt(6)));
                        }
                    }
                    return out;
                });
    }

    public List<Policy> policies(String networkId) {
        return jdbc.prepareStatement("SELECT network_id, name, from_group, to_group, to_cidrs, protocol, ports, edges FROM fw_policy "
                + "WHERE ?::text IS NULL OR network_id = ? ORDER BY network_id, name", ps -> {
                    ps.setString(1, networkId);
                    ps.setString(2, networkId);
                    List<Policy> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new Policy(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), strings(rs.getArray(5)),
                                    Protocol.valueOf(rs.getString(6)), strings(rs.getArray(7)), strings(rs.getArray(8))));
                        }
                    }
                    return out;
                });
    }

    public List<AllowList> allowLists(String networkId) {
        return jdbc.prepareStatement("SELECT network_id, name, group_name, protocol, ports, edges FROM fw_allow_list "
                + "WHERE ?::text IS NULL OR network_id = ? ORDER BY network_id, name", ps -> {
                    ps.setString(1, networkId);
                    ps.setString(2, networkId);
                    List<AllowList> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new AllowList(rs.getString(1), rs.getString(2), rs.getString(3), Protocol.valueOf(rs.getString(4)),
                                    strings(rs.getArray(5)), strings(rs.getArray(6))));
                        }
                    }
                    return out;
                });
    }

    /** Locks the network's definitions for a change (one change per network at a time). */
    public void lockNetwork(String networkId) {
        jdbc.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('wgcp.firewall.' || ?))", ps -> {
            ps.setString(1, networkId);
            ps.executeQuery().close();
            return null;
        });
    }

    public Optional<PeerGroup> group(String networkId, String name) {
        return groups(networkId).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public void saveGroup(PeerGroup g) {
        jdbc.prepareStatement("INSERT INTO fw_group (network_id, name, tags, peers, all_peers, mark_bit) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (network_id, name) DO UPDATE SET tags = EXCLUDED.tags, peers = EXCLUDED.peers, all_peers = EXCLUDED.all_peers", ps -> {
                    Connection c = ps.getConnection();
                    ps.setString(1, g.networkId());
                    ps.setString(2, g.name());
                    ps.setArray(3, c.createArrayOf("text", g.tags().toArray()));
                    ps.setArray(4, c.createArrayOf("text", g.peers().toArray()));
                    ps.setBoolean(5, g.allPeers());
                    ps.setInt(6, g.markBit());
                    return ps.executeUpdate();
                });
    }

    public void savePolicy(Policy p) {
        jdbc.prepareStatement("INSERT INTO fw_policy (network_id, name, from_group, to_group, to_cidrs, protocol, ports, edges) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (network_id, name) DO UPDATE SET from_group = EXCLUDED.from_group, "
                + "to_group = EXCLUDED.to_group, to_cidrs = EXCLUDED.to_cidrs, protocol = EXCLUDED.protocol, ports = EXCLUDED.ports, "
                + "edges = EXCLUDED.edges", ps -> {
                    Connection c = ps.getConnection();
                    ps.setString(1, p.networkId());
                    ps.setString(2, p.name());
                    ps.setString(3, p.from());
                    ps.setString(4, p.toGroup());
                    ps.setArray(5, c.createArrayOf("text", p.toCidrs().toArray()));
                    ps.setString(6, p.protocol().name());
                    ps.setArray(7, c.createArrayOf("text", p.ports().toArray()));
                    ps.setArray(8, c.createArrayOf("text", p.edges().toArray()));
                    return ps.executeUpdate();
                });
    }

    public void saveAllowList(AllowList a) {
        jdbc.prepareStatement("INSERT INTO fw_allow_list (network_id, name, group_name, protocol, ports, edges) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (network_id, name) DO UPDATE SET group_name = EXCLUDED.group_name, protocol = EXCLUDED.protocol, "
                + "ports = EXCLUDED.ports, edges = EXCLUDED.edges", ps -> {
                    Connection c = ps.getConnection();
                    ps.setString(1, a.networkId());
                    ps.setString(2, a.name());
                    ps.setString(3, a.group());
                    ps.setString(4, a.protocol().name());
                    ps.setArray(5, c.createArrayOf("text", a.ports().toArray()));
                    ps.setArray(6, c.createArrayOf("text", a.edges().toArray()));
                    return ps.executeUpdate();
                });
    }

    /** Deletes a definition; false when there was none. {@code table} is one of this class's own table names. */
    public boolean delete(String table, String networkId, String name) {
        if (!List.of("fw_group", "fw_policy", "fw_allow_list").contains(table)) {
            throw new IllegalArgumentException(table);
        }
        return jdbc.prepareStatement("DELETE FROM " + table + " WHERE network_id = ? AND name = ?", ps -> {
            ps.setString(1, networkId);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        });
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
