package dev.wgcp.registry.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PeerRepository extends CrudRepository<PeerRow, UUID> {

    Optional<PeerRow> findByPublicKey(String publicKey);

    /** Locks the row for a read-modify-write within the current transaction. */
    @Query(value = "SELECT * FROM peer WHERE id = :id FOR UPDATE", nativeQuery = true)
    Optional<PeerRow> findByIdForUpdate(UUID id);

    @Query(value = "SELECT id FROM peer WHERE status = 'ACTIVE' AND expires_at <= :now ORDER BY expires_at "
            + "LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<UUID> lockExpired(java.time.Instant now, int limit);

    @Query(value = "SELECT * FROM peer WHERE (CAST(:network AS TEXT) IS NULL OR network_id = :network) "
            + "AND (CAST(:status AS TEXT) IS NULL OR status = :status) "
            + "AND (CAST(:tag AS TEXT) IS NULL OR tags @> ARRAY[CAST(:tag AS TEXT)]) "
            + "AND (CAST(:name AS TEXT) IS NULL OR name = :name) "
            + "ORDER BY created_at, id LIMIT :limit OFFSET :offset",
            nativeQuery = true)
    List<PeerRow> list(@io.micronaut.core.annotation.Nullable String network,
                       @io.micronaut.core.annotation.Nullable String status,
                       @io.micronaut.core.annotation.Nullable String tag,
                       @io.micronaut.core.annotation.Nullable String name, int limit, long offset);
}
