package dev.wgcp.kit.outbox;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRepository extends CrudRepository<OutboxMessage, Long> {

    /** The oldest waiting events, locked until the relay's transaction ends (the relay holds the relay lock as well); parked rows stay. */
    @Query(value = "SELECT * FROM outbox WHERE parked_reason IS NULL ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<OutboxMessage> lockOldest(int limit);

    void deleteByIdIn(List<Long> ids);

    /** Sets a row aside with why: kept, never sent, never blocking the rows behind it. */
    @Query(value = "UPDATE outbox SET parked_reason = :reason WHERE id = :id", nativeQuery = true)
    void park(long id, String reason);

    /** Waiting rows, the age in seconds of the oldest (0 when none), and parked rows: what the outbox gauges show. */
    @Query(value = "SELECT count(*) FILTER (WHERE parked_reason IS NULL) AS waiting,"
            + " COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE parked_reason IS NULL)), 0) AS oldest_age_seconds,"
            + " count(*) FILTER (WHERE parked_reason IS NOT NULL) AS parked FROM outbox", nativeQuery = true)
    OutboxBacklog backlog();
}
