package dev.wgcp.kit.outbox;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.core.annotation.Nullable;

/** One event waiting in the outbox: its topic, key, Avro class and Avro binary body. */
@MappedEntity("outbox")
public record OutboxMessage(
        @Id @GeneratedValue @Nullable Long id,
        String topic,
        String messageKey,
        String eventType,
        byte[] payload) {
}
