package dev.wgcp.ipam.persistence;

import dev.wgcp.ipam.domain.Cidr;
import dev.wgcp.ipam.domain.Pool;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Table {@code pool}. */
@Singleton
public class PoolStore {

    private static final String COLUMNS = "name, network_id, host(prefix) || '/' || masklen(prefix) AS prefix, edge_id, description,"
            + " allocated, reserved, created_at";

    private final Sql sql;

    public PoolStore(Sql sql) {
        this.sql = sql;
    }

    public void insert(Pool pool, Instant now) {
        sql.update("INSERT INTO pool (name, network_id, prefix, edge_id, description, last_index, created_at, updated_at)"
                        + " VALUES (?, ?, ?::cidr, ?, ?, ?, ?, ?)",
                pool.name(), pool.networkId(), pool.cidr().toString(), pool.edgeId(), pool.description(), pool.cidr().lastIndex(), now, now);
    }

    public Optional<Pool> find(String name) {
        return sql.one("SELECT " + COLUMNS + " FROM pool WHERE name = ?", PoolStore::map, name);
    }

    /** The pool, locked until the transaction ends: every change of a pool's addresses holds this lock. */
    public Optional<Pool> lock(String name) {
        return sql.one("SELECT " + COLUMNS + " FROM pool WHERE name = ? FOR UPDATE", PoolStore::map, name);
    }

    /** The pools of {@code network}, locked in name order (one order everywhere, so two transactions never deadlock on them). */
    public List<Pool> lockNetwork(String network) {
        return sql.list("SELECT " + COLUMNS + " FROM pool WHERE network_id = ? ORDER BY name FOR UPDATE", PoolStore::map, network);
    }

    public List<Pool> list(String network) {
        return network == null
                ? sql.list("SELECT " + COLUMNS + " FROM pool ORDER BY network_id, name", PoolStore::map)
                : sql.list("SELECT " + COLUMNS + " FROM pool WHERE network_id = ? ORDER BY name", PoolStore::map, network);
    }

    /** Pools of {@code network} whose prefix overlaps {@code cidr}, other than {@code except}. */
    public List<Pool> overlapping(String network, Cidr cidr, String except) {
        return sql.list("SELECT " + COLUMNS + " FROM pool WHERE network_id = ? AND prefix && ?::cidr AND name <> ? ORDER BY name",
                PoolStore::map, network, cidr.toString(), except == null ? "" : except);
    }

    /** Pools of any network whose prefix contains {@code address}. */
    public List<Pool> containing(String address) {
        return sql.list("SELECT " + COLUMNS + " FROM pool WHERE prefix >> ?::inet ORDER BY network_id, name", PoolStore::map, address);
    }

    public void changePrefix(String name, Cidr cidr, Instant now) {
        sql.update("UPDATE pool SET prefix = ?::cidr, last_index = ?, updated_at = ? WHERE name = ?",
                cidr.toString(), cidr.lastIndex(), now, name);
    }

    public void changeDescription(String name, String description, Instant now) {
        sql.update("UPDATE pool SET description = ?, updated_at = ? WHERE name = ?", description, now, name);
    }

    public void addCounts(String name, long allocated, long reserved) {
        sql.update("UPDATE pool SET allocated = allocated + ?, reserved = reserved + ? WHERE name = ?", allocated, reserved, name);
    }

    public void setCounts(String name, long allocated, long reserved) {
        sql.update("UPDATE pool SET allocated = ?, reserved = ? WHERE name = ?", allocated, reserved, name);
    }

    /** Sets the warned flag; true when it changed (the threshold was crossed in that direction just now). */
    public boolean setWarned(String name, boolean warned) {
        return sql.update("UPDATE pool SET warned = ? WHERE name = ? AND warned <> ?", warned, name, warned) == 1;
    }

    public void delete(String name) {
        sql.update("DELETE FROM pool WHERE name = ?", name);
    }

    private static Pool map(ResultSet rs) throws SQLException {
        return new Pool(rs.getString("name"), rs.getString("network_id"), Cidr.parse(rs.getString("prefix")), rs.getString("edge_id"),
                rs.getString("description"), rs.getLong("allocated"), rs.getLong("reserved"), Sql.instant(rs, "created_at"));
    }
}
