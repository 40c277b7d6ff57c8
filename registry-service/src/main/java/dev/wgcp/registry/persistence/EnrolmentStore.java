package dev.wgcp.registry.persistence;

import dev.wgcp.registry.domain.EnrolmentToken;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tables {@code enrolment_token} and {@code enrolment_use}, through the current transaction's connection. */
@Singleton
public class EnrolmentStore {

    /** One redemption of a token. */
    public record Use(UUID peerId, Instant usedAt, String remoteAddress) {
    }

    private static final String COLUMNS = "id, name, network_id, tags, max_uses, uses, created_at, created_by, expires_at, revoked_at, "
            + "peer_lifetime_seconds";

    private final JdbcOperations jdbc;

    public EnrolmentStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(EnrolmentToken t, String secretHash) {
        jdbc.prepareStatement("INSERT INTO enrolment_token (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setObject(1, t.id());
            ps.setString(2, t.name());
            ps.setString(3, t.networkId());
            ps.setArray(4, ps.getConnection().createArrayOf("text", t.tags().toArray()));
            ps.setInt(5, t.maxUses());
            ps.setInt(6, t.uses());
            ps.setTimestamp(7, Timestamp.from(t.createdAt()));
            ps.setString(8, t.createdBy());
            ps.setTimestamp(9, Timestamp.from(t.expiresAt()));
            ps.setTimestamp(10, null);
            ps.setObject(11, t.peerLifetime() == null ? null : t.peerLifetime().toSeconds(), java.sql.Types.BIGINT);
            ps.setString(12, secretHash);
            return ps.executeUpdate();
        });
    }

    /** The token with this secret hash, its row locked until the transaction ends: uses are counted one at a time. */
    public Optional<EnrolmentToken> findBySecretHashForUpdate(String secretHash) {
        return one("SELECT " + COLUMNS + " FROM enrolment_token WHERE secret_hash = ? FOR UPDATE", secretHash);
    }

    public Optional<EnrolmentToken> findById(UUID id) {
        return one("SELECT " + COLUMNS + " FROM enrolment_token WHERE id = ?", id);
    }

    public List<EnrolmentToken> list(String networkId) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM enrolment_token WHERE (CAST(? AS TEXT) IS NULL OR network_id = ?) "
                + "ORDER BY created_at, id", ps -> {
            ps.setString(1, networkId);
            ps.setString(2, networkId);
            List<EnrolmentToken> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    /** Records a use; the CHECK constraint refuses a use beyond max_uses even if a caller forgot to check. */
    public void recordUse(UUID tokenId, UUID peerId, Instant at, String remoteAddress) {
        jdbc.prepareStatement("UPDATE enrolment_token SET uses = uses + 1 WHERE id = ?", ps -> {
            ps.setObject(1, tokenId);
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("INSERT INTO enrolment_use (token_id, peer_id, used_at, remote_address) VALUES (?, ?, ?, ?)", ps -> {
            ps.setObject(1, tokenId);
            ps.setObject(2, peerId);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, remoteAddress);
            return ps.executeUpdate();
        });
    }

    public List<Use> uses(UUID tokenId) {
        return jdbc.prepareStatement("SELECT peer_id, used_at, remote_address FROM enrolment_use WHERE token_id = ? ORDER BY used_at", ps -> {
            ps.setObject(1, tokenId);
            List<Use> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Use(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getString(3)));
                }
            }
            return out;
        });
    }

    public void revoke(UUID id, Instant at) {
        jdbc.prepareStatement("UPDATE enrolment_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            return ps.executeUpdate();
        });
    }

    private Optional<EnrolmentToken> one(String sql, Object key) {
        return jdbc.prepareStatement(sql, (PreparedStatement ps) -> {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.<EnrolmentToken>empty();
            }
        });
    }

    private static EnrolmentToken read(ResultSet rs) throws SQLException {
        Array tags = rs.getArray(4);
        Timestamp revoked = rs.getTimestamp(10);
        return new EnrolmentToken(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                tags == null ? List.of() : List.of((String[]) tags.getArray()), rs.getInt(5), rs.getInt(6),
                rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getTimestamp(9).toInstant(),
                revoked == null ? null : revoked.toInstant(), lifetime(rs.getObject(11)));
    }

    private static java.time.Duration lifetime(Object seconds) {
        return seconds == null ? null : java.time.Duration.ofSeconds(((Number) seconds).longValue());
    }
}
