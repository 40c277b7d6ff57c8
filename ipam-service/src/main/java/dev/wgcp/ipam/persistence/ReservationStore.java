package dev.wgcp.ipam.persistence;

import dev.wgcp.ipam.domain.IndexRange;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code reservation}. Callers hold the pool's lock. */
@Singleton
public class ReservationStore {

    /** Addresses of a pool that are never handed out. */
    public record Reservation(UUID id, String pool, IndexRange range, String description, Instant createdAt) {
    }

    private static final String COLUMNS = "id, pool, first_index, last_index, description, created_at";

    private final Sql sql;

    public ReservationStore(Sql sql) {
        this.sql = sql;
    }

    public void insert(Reservation r) {
        sql.update("INSERT INTO reservation (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                r.id(), r.pool(), r.range().first(), r.range().last(), r.description(), r.createdAt());
    }

    public List<Reservation> list(String pool) {
        return sql.list("SELECT " + COLUMNS + " FROM reservation WHERE pool = ? ORDER BY first_index", ReservationStore::map, pool);
    }

    public Optional<Reservation> find(String pool, UUID id) {
        return sql.one("SELECT " + COLUMNS + " FROM reservation WHERE pool = ? AND id = ?", ReservationStore::map, pool, id);
    }

    public List<Reservation> overlapping(String pool, IndexRange range) {
        return sql.list("SELECT " + COLUMNS + " FROM reservation WHERE pool = ?"
                + " AND int8range(first_index, last_index, '[]') && int8range(?, ?, '[]') ORDER BY first_index",
                ReservationStore::map, pool, range.first(), range.last());
    }

    public void delete(UUID id) {
        sql.update("DELETE FROM reservation WHERE id = ?", id);
    }

    private static Reservation map(ResultSet rs) throws SQLException {
        return new Reservation(rs.getObject("id", UUID.class), rs.getString("pool"),
                new IndexRange(rs.getLong("first_index"), rs.getLong("last_index")), rs.getString("description"),
                Sql.instant(rs, "created_at"));
    }
}
