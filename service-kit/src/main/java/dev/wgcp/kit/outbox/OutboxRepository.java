package dev.wgcp.kit.outbox;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRepository extends CrudRepository<OutboxMessage, Long> {

    /** The oldest waiting events, locked so that a second relay (another instance) takes other rows. */
    @Query(value = "SELECT * FROM outbox ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<OutboxMessage> lockOldest(int limit);

    void deleteByIdIn(List<Long> ids);
}
