package dev.wgcp.registry.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Peer tokens (in {@code peer}) and retired keys ({@code retired_key}), through the current transaction. */
@Singleton
public class KeyStore {

    /** A key a peer rotated away from, due for revocation at {@code revokeAt}. */
    public record RetiredKey(String publicKey, UUID peerId, Instant revokeAt) {
    }

    private final JdbcOperations jdbc;

    public KeyStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public void setPeerTokenHash(UUID peerId, String hash) {
        jdbc.prepareStatement("UPDATE peer SET peer_token_hash = ? WHERE id = ?", ps -> {
            ps.setString(1, hash);
            ps.setObject(2, peerId);
            return ps.executeUpdate();
        });
    }

    public Optional<String> peerTokenHash(UUID peerId) {
        return jdbc.prepareStatement("SELECT peer_token_hash FROM peer WHERE id = ?", ps -> {
            ps.setObject(1, peerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** The peer that once had {@code publicKey} and rotated away from it, if any. */
    public Optional<UUID> retiredBy(String publicKey) {
        return jdbc.prepareStatement("SELECT peer_id FROM retired_key WHERE public_key = ?", ps -> {
            ps.setString(1, publicKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.<UUID>empty();
            }
        });
    }

    public void retire(String publicKey, UUID peerId, Instant at, Instant revokeAt) {
        jdbc.prepareStatement("INSERT INTO retired_key (public_key, peer_id, retired_at, revoke_at) VALUES (?, ?, ?, ?)", ps -> {
            ps.setString(1, publicKey);
            ps.setObject(2, peerId);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setTimestamp(4, Timestamp.from(revokeAt));
            return ps.executeUpdate();
        });
    }

    /** Up to {@code limit} retired keys whose overlap ended, locked; rows another instance holds are skipped. */
    public List<RetiredKey> lockDue(Instant now, int limit) {
        return jdbc.prepareStatement("SELECT public_key, peer_id, revoke_at FROM retired_key WHERE revoked_at IS NULL AND revoke_at <= ? "
                + "ORDER BY revoke_at LIMIT ? FOR UPDATE SKIP LOCKED", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            List<RetiredKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RetiredKey(rs.getString(1), rs.getObject(2, UUID.class), rs.getTimestamp(3).toInstant()));
                }
            }
            return out;
        });
    }

    public void markRevoked(String publicKey, Instant at) {
        jdbc.prepareStatement("UPDATE retired_key SET revoked_at = ? WHERE public_key = ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, publicKey);
            return ps.executeUpdate();
        });
    }
}
