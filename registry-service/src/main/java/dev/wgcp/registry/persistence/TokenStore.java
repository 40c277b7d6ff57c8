package dev.wgcp.registry.persistence;

import dev.wgcp.kit.domain.ApiScope;
import dev.wgcp.registry.domain.ApiToken;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code api_token}, through the current transaction's connection. */
@Singleton
public class TokenStore {

    private static final String COLUMNS = "id, name, scope, network_id, created_at, created_by, expires_at, revoked_at";

    private final JdbcOperations jdbc;

    public TokenStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ApiToken t, String secretHash) {
        jdbc.prepareStatement("INSERT INTO api_token (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setObject(1, t.id());
            ps.setString(2, t.name());
            ps.setString(3, t.scope().name());
            ps.setString(4, t.networkId());
            ps.setTimestamp(5, Timestamp.from(t.createdAt()));
            ps.setString(6, t.createdBy());
            ps.setTimestamp(7, t.expiresAt() == null ? null : Timestamp.from(t.expiresAt()));
            ps.setTimestamp(8, null);
            ps.setString(9, secretHash);
            return ps.executeUpdate();
        });
    }

    public Optional<ApiToken> findBySecretHash(String secretHash) {
        return one("SELECT " + COLUMNS + " FROM api_token WHERE secret_hash = ?", secretHash);
    }

    public Optional<ApiToken> findById(UUID id) {
        return one("SELECT " + COLUMNS + " FROM api_token WHERE id = ?", id);
    }

    public Optional<ApiToken> findByName(String name) {
        return one("SELECT " + COLUMNS + " FROM api_token WHERE name = ?", name);
    }

    public List<ApiToken> list() {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM api_token ORDER BY created_at, name", ps -> {
            List<ApiToken> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    /** Marks the token revoked at {@code at}; a token revoked before keeps its first revocation time. */
    public void revoke(UUID id, Instant at) {
        jdbc.prepareStatement("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            return ps.executeUpdate();
        });
    }

    private Optional<ApiToken> one(String sql, Object key) {
        return jdbc.prepareStatement(sql, ps -> {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.<ApiToken>empty();
            }
        });
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getObject(1, UUID.class), rs.getString(2), ApiScope.valueOf(rs.getString(3)), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
