package dev.wgcp.firewall.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.OptionalLong;

/** Table {@code fw_edge_writer}: which instance writes each edge's rulesets, until when, and the edge's last revision. */
@Singleton
public class WriterLeaseStore {

    private final JdbcOperations jdbc;

    public WriterLeaseStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes or renews the lease on {@code edgeId} for {@code holder} for {@code lease} from now (the
     * database's clock): granted when nobody holds it, {@code holder} does, or the holder's expired.
     */
    public boolean acquire(String edgeId, String holder, Duration lease) {
        return jdbc.prepareStatement("INSERT INTO fw_edge_writer (edge_id, holder, expires_at) VALUES (?, ?, now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (edge_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
                + " WHERE fw_edge_writer.holder = EXCLUDED.holder OR fw_edge_writer.expires_at < now() RETURNING holder", ps -> {
                    ps.setString(1, edgeId);
                    ps.setString(2, holder);
                    ps.setLong(3, lease.toMillis());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                });
    }

    /** Gives the lease up (a clean stop), so another instance takes over at once. */
    public void release(String edgeId, String holder) {
        jdbc.prepareStatement("UPDATE fw_edge_writer SET expires_at = now() WHERE edge_id = ? AND holder = ?", ps -> {
            ps.setString(1, edgeId);
            ps.setString(2, holder);
            return ps.executeUpdate();
        });
    }

    /**
     * The next revision of {@code edgeId}'s ruleset, above {@code atLeast} (the latest seen on the
     * topic), while {@code holder} holds the lease; empty when it does not (any more).
     */
    public OptionalLong nextRevision(String edgeId, String holder, long atLeast) {
        return jdbc.prepareStatement("UPDATE fw_edge_writer SET revision = GREATEST(revision, ?) + 1"
                + " WHERE edge_id = ? AND holder = ? AND expires_at > now() RETURNING revision", ps -> {
                    ps.setLong(1, atLeast);
                    ps.setString(2, edgeId);
                    ps.setString(3, holder);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                    }
                });
    }
}
