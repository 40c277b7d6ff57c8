package dev.wgcp.kit.outbox;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * One event waiting in the outbox: its topic, key and Avro class, and its value as written. With a
 * {@code schemaId} the payload is the record value in the Confluent wire format under that schema
 * (sent as it is); without (rows from before the column existed) it is bare Avro of the class's schema.
 * {@code parkedReason}: why the relay set the row aside instead of sending it.
 */
@MappedEntity("outbox")
public record OutboxMessage(
        @Id @GeneratedValue @Nullable Long id,
        String topic,
        String messageKey,
        String eventType,
        byte[] payload,
        @Nullable Integer schemaId,
        @Nullable String parkedReason) {

    public OutboxMessage(String topic, String messageKey, String eventType, byte[] payload, int schemaId) {
        this(null, topic, messageKey, eventType, payload, schemaId, null);
    }
}
