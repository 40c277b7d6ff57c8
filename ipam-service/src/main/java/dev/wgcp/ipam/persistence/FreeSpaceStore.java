package dev.wgcp.ipam.persistence;

import dev.wgcp.ipam.domain.IndexRange;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code free_range}: each pool's free host indexes as ranges. Callers hold the pool's lock.
 * Taking an address is one index look-up and one row update, whatever the pool's size or use.
 */
@Singleton
public class FreeSpaceStore {

    /** A free range; {@code recycled} ones were in use (or reserved) before and wait out a quarantine. */
    public record FreeRange(IndexRange range, boolean recycled, Instant availableAt) {
    }

    private final Sql sql;

    public FreeSpaceStore(Sql sql) {
        this.sql = sql;
    }

    public void add(String pool, IndexRange range, boolean recycled, Instant availableAt) {
        sql.update("INSERT INTO free_range (pool, first_index, last_index, recycled, available_at) VALUES (?, ?, ?, ?, ?)",
                pool, range.first(), range.last(), recycled, availableAt);
    }

    /**
     * Takes the next address to hand out: the lowest never-used index, else the recycled address that
     * has been out of quarantine longest. Empty when the pool has nothing available at {@code now}.
     */
    public Optional<Long> take(String pool, Instant now) {
        Optional<FreeRange> next = sql.one("SELECT first_index, last_index, recycled, available_at FROM free_range"
                + " WHERE pool = ? AND NOT recycled ORDER BY first_index LIMIT 1", FreeSpaceStore::map, pool);
        if (next.isEmpty()) {
            next = sql.one("SELECT first_index, last_index, recycled, available_at FROM free_range"
                    + " WHERE pool = ? AND recycled AND available_at <= ? ORDER BY available_at, first_index LIMIT 1",
                    FreeSpaceStore::map, pool, now);
        }
        if (next.isEmpty()) {
            return Optional.empty();
        }
        IndexRange r = next.get().range();
        if (r.first() == r.last()) {
            sql.update("DELETE FROM free_range WHERE pool = ? AND first_index = ?", pool, r.first());
        } else {
            sql.update("UPDATE free_range SET first_index = ? WHERE pool = ? AND first_index = ?", r.first() + 1, pool, r.first());
        }
        return Optional.of(r.first());
    }

    /** The free ranges overlapping {@code range} (a look-up in the exclusion constraint's index). */
    public List<FreeRange> overlapping(String pool, IndexRange range) {
        return sql.list("SELECT first_index, last_index, recycled, available_at FROM free_range"
                + " WHERE pool = ? AND int8range(first_index, last_index, '[]') && int8range(?, ?, '[]') ORDER BY first_index",
                FreeSpaceStore::map, pool, range.first(), range.last());
    }

    /** Removes {@code cut} from the free space (for a reservation, an imported address or a shrink); the rest stays as it was. */
    public void remove(String pool, IndexRange cut) {
        for (FreeRange f : overlapping(pool, cut)) {
            sql.update("DELETE FROM free_range WHERE pool = ? AND first_index = ?", pool, f.range().first());
            for (IndexRange rest : f.range().minus(cut)) {
                add(pool, rest, f.recycled(), f.availableAt());
            }
        }
    }

    /** How many addresses wait in quarantine at {@code now}, and when the first of them becomes available. */
    public Quarantine quarantine(String pool, Instant now) {
        return sql.one("SELECT COALESCE(sum(last_index - first_index + 1), 0), min(available_at) FROM free_range"
                        + " WHERE pool = ? AND recycled AND available_at > ?",
                rs -> new Quarantine(rs.getLong(1), Sql.instant(rs, "min")), pool, now).orElseThrow();
    }

    /** Addresses in quarantine and when the first comes out of it (null when none). */
    public record Quarantine(long addresses, Instant nextAvailableAt) {
    }

    public List<FreeRange> all(String pool) {
        return sql.list("SELECT first_index, last_index, recycled, available_at FROM free_range WHERE pool = ? ORDER BY first_index",
                FreeSpaceStore::map, pool);
    }

    public void clear(String pool) {
        sql.update("DELETE FROM free_range WHERE pool = ?", pool);
    }

    private static FreeRange map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new FreeRange(new IndexRange(rs.getLong(1), rs.getLong(2)), rs.getBoolean(3), Sql.instant(rs, "available_at"));
    }
}
