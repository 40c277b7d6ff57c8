package dev.wgcp.tracker.persistence;

import dev.wgcp.tracker.domain.DnsRecord;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Table {@code dns_record}. Desired state only moves forward: a write with an older version than
 * the stored one changes nothing, so a late observation never replaces a newer endpoint.
 */
@Singleton
public class DnsRecordStore {

    private static final String COLUMNS = "name, zone_key, owner, addresses, port, version, applied_version, attempts, "
            + "next_attempt_at, last_error, last_attempt_at, last_success_at";

    private final JdbcOperations jdbc;

    public DnsRecordStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Wants {@code name} to answer {@code addresses} (empty: no records) as of {@code version}. Only a
     * newer version replaces an owner's wish, so a late observation never undoes a newer one. A name
     * belongs to the first owner that wanted it until that owner lets it go (its records deleted);
     * a deleted name can be taken again by anyone, its version moving forward from the deletion's.
     * While updates fail the retry time is kept (a new version does not cut the back-off short).
     */
    public Want want(String name, String zoneKey, String owner, List<String> addresses, Integer port, Instant version, Instant now) {
        return jdbc.prepareStatement("INSERT INTO dns_record (name, zone_key, owner, addresses, port, version, next_attempt_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET zone_key = EXCLUDED.zone_key, owner = EXCLUDED.owner, "
                + "addresses = EXCLUDED.addresses, port = EXCLUDED.port, "
                + "version = GREATEST(dns_record.version + interval '1 millisecond', EXCLUDED.version), "
                + "next_attempt_at = CASE WHEN dns_record.attempts > 0 THEN dns_record.next_attempt_at ELSE EXCLUDED.next_attempt_at END "
                + "WHERE dns_record.addresses IS NULL OR (dns_record.owner = EXCLUDED.owner AND dns_record.version < EXCLUDED.version)",
                ps -> {
                    ps.setString(1, name);
                    ps.setString(2, zoneKey);
                    ps.setString(3, owner);
                    ps.setString(4, addresses == null || addresses.isEmpty() ? null : String.join(",", addresses));
                    ps.setObject(5, addresses == null || addresses.isEmpty() ? null : port);
                    ps.setTimestamp(6, Timestamp.from(version));
                    ps.setTimestamp(7, Timestamp.from(now));
                    return ps.executeUpdate() == 1;
                }) ? Want.STORED : ownerOf(name).filter(o -> !o.equals(owner)).isPresent() ? Want.TAKEN : Want.OLDER;
    }

    /** What became of a wish: stored, older than the one stored (ignored), or the name is another owner's. */
    public enum Want { STORED, OLDER, TAKEN }

    private java.util.Optional<String> ownerOf(String name) {
        return jdbc.prepareStatement("SELECT owner FROM dns_record WHERE name = ? AND addresses IS NOT NULL", ps -> {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.<String>empty();
            }
        });
    }

    /** Wants every name of {@code owner} deleted (a revoked or removed peer, a renamed one); returns the names. */
    public List<String> deleteAllOf(String owner, Instant now) {
        return jdbc.prepareStatement("UPDATE dns_record SET addresses = NULL, port = NULL, "
                + "version = GREATEST(version + interval '1 millisecond', ?), "
                + "next_attempt_at = CASE WHEN attempts > 0 THEN next_attempt_at ELSE ? END "
                + "WHERE owner = ? AND addresses IS NOT NULL RETURNING name", ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, owner);
                    List<String> names = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            names.add(rs.getString(1));
                        }
                    }
                    return names;
                });
    }

    public List<DnsRecord> ofOwner(String owner) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM dns_record WHERE owner = ? ORDER BY name", ps -> {
            ps.setString(1, owner);
            return read(ps.executeQuery());
        });
    }

    /**
     * Claims up to {@code limit} records whose update is due until {@code claimedUntil}: other
     * tracker instances leave them alone meanwhile, so one name's updates go out one at a time.
     */
    public List<DnsRecord> claimDue(Instant now, Instant claimedUntil, int limit) {
        return jdbc.prepareStatement("UPDATE dns_record SET claimed_until = ? WHERE name IN (SELECT name FROM dns_record "
                + "WHERE applied_version IS DISTINCT FROM version AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) "
                + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, ps -> {
                    ps.setTimestamp(1, Timestamp.from(claimedUntil));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setInt(4, limit);
                    return read(ps.executeQuery());
                });
    }

    /** The server took {@code sent}; a newer version stored meanwhile stays due. */
    public void applied(String name, Instant sent, Instant now) {
        jdbc.prepareStatement("UPDATE dns_record SET applied_version = ?, attempts = 0, last_error = NULL, last_attempt_at = ?, "
                + "last_success_at = ?, next_attempt_at = ?, claimed_until = NULL WHERE name = ?", ps -> {
                    ps.setTimestamp(1, Timestamp.from(sent));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, name);
                    return ps.executeUpdate();
                });
    }

    public void failed(String name, String error, Instant retryAt, Instant now) {
        jdbc.prepareStatement("UPDATE dns_record SET attempts = attempts + 1, last_error = ?, last_attempt_at = ?, next_attempt_at = ?, "
                + "claimed_until = NULL WHERE name = ?", ps -> {
                    ps.setString(1, error);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setTimestamp(3, Timestamp.from(retryAt));
                    ps.setString(4, name);
                    return ps.executeUpdate();
                });
    }

    public List<DnsRecord> all(int limit) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM dns_record ORDER BY name LIMIT ?", ps -> {
            ps.setInt(1, limit);
            return read(ps.executeQuery());
        });
    }

    /** How many records wait for the server, by zone. */
    public java.util.Map<String, Long> pendingByZone() {
        return jdbc.prepareStatement("SELECT zone_key, count(*) FILTER (WHERE applied_version IS DISTINCT FROM version) FROM dns_record "
                + "GROUP BY zone_key", ps -> {
                    java.util.Map<String, Long> out = new java.util.HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                    return out;
                });
    }

    private static List<DnsRecord> read(ResultSet rs) throws SQLException {
        List<DnsRecord> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                String addresses = rs.getString(4);
                out.add(new DnsRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        addresses == null ? List.of() : Arrays.asList(addresses.split(",")), (Integer) rs.getObject(5),
                        rs.getTimestamp(6).toInstant(), PeerStore.instant(rs.getTimestamp(7)), rs.getInt(8),
                        rs.getTimestamp(9).toInstant(), rs.getString(10), PeerStore.instant(rs.getTimestamp(11)),
                        PeerStore.instant(rs.getTimestamp(12))));
            }
        }
        return out;
    }
}
